using YamlDotNet.RepresentationModel;

namespace McpLambda.Tests;

/// <summary>Reads a generated template.yaml as YAML: CloudFormation's short forms (<c>!Ref</c>, <c>!Sub</c>) stay tags of their nodes.</summary>
internal static class SamYaml
{
    public static YamlMappingNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static bool Has(YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    public static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    public static YamlNode Node(YamlMappingNode node, string key) => node.Children[new YamlScalarNode(key)];

    public static YamlScalarNode ScalarNode(YamlMappingNode node, string key) => (YamlScalarNode)node.Children[new YamlScalarNode(key)];

    public static string? Scalar(YamlMappingNode node, string key) => ScalarNode(node, key).Value;

    public static string[] Scalars(YamlMappingNode node, string key)
        => [.. ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Children.Select(item => ((YamlScalarNode)item).Value!)];

    /// <summary>The resources of <paramref name="type"/>, by logical id.</summary>
    public static Dictionary<string, YamlMappingNode> Resources(YamlMappingNode template, string type)
        => Map(template, "Resources").Children
            .Where(resource => Scalar((YamlMappingNode)resource.Value, "Type") == type)
            .ToDictionary(resource => ((YamlScalarNode)resource.Key).Value!, resource => Map((YamlMappingNode)resource.Value, "Properties"));
}
