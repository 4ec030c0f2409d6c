using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace McpLambda.Tests;

/// <summary>
/// CloudFormation's intrinsic functions in their short forms, evaluated as a deployment would for the few a template
/// here writes into values: <c>!Ref</c>, <c>!Sub</c> (text, or text and variables), <c>!Select</c> and <c>!Split</c>.
/// Names come from <paramref name="names"/> (pseudo parameters such as <c>AWS::StackName</c>, parameters, resources'
/// ids); a name it does not know fails the test, rather than leaving <c>${…}</c> in a value.
/// </summary>
internal sealed partial class Intrinsics(IReadOnlyDictionary<string, string> names)
{
    /// <summary>The names a stack called <paramref name="stackName"/> (id <paramref name="stackUuid"/>) in us-east-1 has.</summary>
    public static Intrinsics ForStack(string stackName, Guid stackUuid) => new(new Dictionary<string, string>
    {
        ["AWS::StackName"] = stackName,
        ["AWS::StackId"] = $"arn:aws:cloudformation:us-east-1:123456789012:stack/{stackName}/{stackUuid}",
        ["AWS::Region"] = "us-east-1",
        ["AWS::AccountId"] = "123456789012",
        ["AWS::Partition"] = "aws",
        ["AWS::URLSuffix"] = "amazonaws.com",
    });

    public string Evaluate(YamlNode node) => (Tag(node), node) switch
    {
        ("!Ref", YamlScalarNode reference) => Name(reference.Value!, names),
        ("!Sub", YamlScalarNode text) => Substitute(text.Value!, names),
        ("!Sub", YamlSequenceNode sub) => Substitute(
            ((YamlScalarNode)sub.Children[0]).Value!,
            ((YamlMappingNode)sub.Children[1]).Children.ToDictionary(v => ((YamlScalarNode)v.Key).Value!, v => Evaluate(v.Value))),
        ("!Select", YamlSequenceNode select) => List(select.Children[1])[int.Parse(Evaluate(select.Children[0]), System.Globalization.CultureInfo.InvariantCulture)],
        (null, YamlScalarNode plain) => plain.Value!,
        _ => throw new Xunit.Sdk.XunitException($"not an intrinsic this evaluates: {node}"),
    };

    private string[] List(YamlNode node) => (Tag(node), node) switch
    {
        ("!Split", YamlSequenceNode split) => Evaluate(split.Children[1]).Split(Evaluate(split.Children[0])),
        _ => throw new Xunit.Sdk.XunitException($"not a list this evaluates: {node}"),
    };

    /// <summary>The node's short-form function (<c>!Sub</c>), or null for a plain value.</summary>
    private static string? Tag(YamlNode node) => node.Tag.IsEmpty || node.Tag.IsNonSpecific ? null : node.Tag.Value;

    private string Substitute(string text, IReadOnlyDictionary<string, string> variables)
        => Variable().Replace(text, match => variables.TryGetValue(match.Groups[1].Value, out var value) ? value : Name(match.Groups[1].Value, names));

    private static string Name(string name, IReadOnlyDictionary<string, string> known)
        => known.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"the template names {name}, which this stack does not have");

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex Variable();
}
