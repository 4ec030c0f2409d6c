using System.Text.Json.Nodes;
using McpLambda.Runtime.AgentCore;

namespace McpLambda.AgentCore.Tests;

/// <summary>One test per rewrite rule of the AgentCore tool schema conversion, with the changes it reports.</summary>
public sealed class AgentCoreToolSchemaConverterTests
{
    [Fact]
    public void A_schema_AgentCore_accepts_is_kept_as_it_is_with_no_changes()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"search","description":"Finds books","inputSchema":{"type":"object","description":"The query",
              "properties":{"q":{"type":"string","description":"Words"},"tags":{"type":"array","items":{"type":"string"}},
                            "page":{"type":"integer"},"exact":{"type":"boolean"},
                            "filter":{"type":"object","properties":{"year":{"type":"number"}},"required":["year"]}},
              "required":["q"]},
             "outputSchema":{"type":"object","properties":{"count":{"type":"integer"}},"required":["count"]}}
            """);

        Assert.Empty(changes);
        Assert.Equal("search", tool["name"]!.GetValue<string>());
        Assert.Equal("Finds books", tool["description"]!.GetValue<string>());
        Assert.Equal("""{"type":"object","description":"The query","properties":{"q":{"type":"string","description":"Words"},"tags":{"type":"array","items":{"type":"string"}},"page":{"type":"integer"},"exact":{"type":"boolean"},"filter":{"type":"object","properties":{"year":{"type":"number"}},"required":["year"]}},"required":["q"]}""",
            tool["inputSchema"]!.ToJsonString());
        Assert.Equal("""{"type":"object","properties":{"count":{"type":"integer"}},"required":["count"]}""", tool["outputSchema"]!.ToJsonString());
    }

    [Fact]
    public void Dollar_schema_and_additionalProperties_are_removed()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
              "properties":{"a":{"type":"string"}},"additionalProperties":false}}
            """);

        Assert.Equal("""{"type":"object","properties":{"a":{"type":"string"}}}""", tool["inputSchema"]!.ToJsonString());
        Assert.Equal(
            [
                "tool t, property path inputSchema: removed \"$schema\": \"http://json-schema.org/draft-07/schema#\"",
                "tool t, property path inputSchema: removed \"additionalProperties\": false",
            ],
            changes);
    }

    [Fact]
    public void Default_null_is_removed()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"type":"object","properties":{"limit":{"type":"integer","default":null}}}}
            """);

        Assert.Equal("""{"type":"integer"}""", Property(tool, "limit").ToJsonString());
        Assert.Equal(["tool t, property path inputSchema.properties.limit: removed \"default\": null"], changes);
    }

    [Fact]
    public void AnyOf_with_a_null_member_becomes_the_other_member_and_the_property_becomes_optional()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"fetch","description":"d","inputSchema":{"type":"object","properties":{
               "url":{"type":"string"},
               "max_length":{"anyOf":[{"type":"integer"},{"type":"null"}],"default":null,"description":"Cap"}},
             "required":["url","max_length"]}}
            """);

        Assert.Equal("""{"type":"integer","description":"Cap"}""", Property(tool, "max_length").ToJsonString());
        Assert.Equal("""["url"]""", tool["inputSchema"]!["required"]!.ToJsonString());
        Assert.Equal(
            [
                "tool fetch, property path inputSchema.properties.max_length: \"anyOf\" [integer, null] replaced by its non-null member (integer); the property is optional",
                "tool fetch, property path inputSchema.properties.max_length: removed \"default\": null",
                "tool fetch, property path inputSchema.required: removed \"max_length\" (the property accepts null, so it is optional)",
            ],
            changes);
    }

    [Fact]
    public void A_type_array_with_null_becomes_the_single_type()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"type":"object","properties":{"name":{"type":["string","null"]}},"required":["name"]}}
            """);

        Assert.Equal("""{"type":"string"}""", Property(tool, "name").ToJsonString());
        Assert.Equal("[]", tool["inputSchema"]!["required"]!.ToJsonString());
        Assert.Equal(
            [
                "tool t, property path inputSchema.properties.name: \"type\": [\"string\",\"null\"] replaced by \"string\"; the property is optional",
                "tool t, property path inputSchema.required: removed \"name\" (the property accepts null, so it is optional)",
            ],
            changes);
    }

    [Fact]
    public void Empty_items_are_removed_so_the_items_go_unchecked()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"type":"object","properties":{"values":{"type":"array","items":{}}}}}
            """);

        Assert.Equal("""{"type":"array"}""", Property(tool, "values").ToJsonString());
        Assert.Equal(["tool t, property path inputSchema.properties.values.items: removed \"items\": {} (any item; AgentCore then leaves the items unchecked)"], changes);
    }

    [Fact]
    public void Nested_items_and_properties_are_converted_with_their_paths()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"type":"object","properties":{"rows":{"type":"array",
              "items":{"type":"object","properties":{"note":{"anyOf":[{"type":"string"},{"type":"null"}]}},"required":["note"],"additionalProperties":false}}}}}
            """);

        Assert.Equal("""{"type":"array","items":{"type":"object","properties":{"note":{"type":"string"}},"required":[]}}""", Property(tool, "rows").ToJsonString());
        Assert.Equal(
            [
                "tool t, property path inputSchema.properties.rows.items.properties.note: \"anyOf\" [string, null] replaced by its non-null member (string); the property is optional",
                "tool t, property path inputSchema.properties.rows.items.required: removed \"note\" (the property accepts null, so it is optional)",
                "tool t, property path inputSchema.properties.rows.items: removed \"additionalProperties\": false",
            ],
            changes);
    }

    [Fact]
    public void Enum_and_non_null_defaults_are_moved_into_the_description()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"type":"object","properties":{
              "unit":{"type":"string","enum":["c","f"],"default":"c","description":"Temperature unit"}}}}
            """);

        Assert.Equal("string", Property(tool, "unit")["type"]!.GetValue<string>());
        Assert.Equal("Temperature unit. Default: \"c\". Allowed values: \"c\", \"f\".", Property(tool, "unit")["description"]!.GetValue<string>());
        Assert.Equal(2, Property(tool, "unit").AsObject().Count);
        Assert.Equal(
            [
                "tool t, property path inputSchema.properties.unit: moved \"default\": \"c\" into the description",
                "tool t, property path inputSchema.properties.unit: moved \"enum\" [\"c\",\"f\"] into the description",
            ],
            changes);
    }

    [Fact]
    public void A_missing_type_is_inferred_and_an_any_value_property_becomes_a_string()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"properties":{"mode":{"enum":["a","b"]},"value":{"description":"Anything"}}}}
            """);

        Assert.Equal("string", Property(tool, "mode")["type"]!.GetValue<string>());
        Assert.Equal("Allowed values: \"a\", \"b\".", Property(tool, "mode")["description"]!.GetValue<string>());
        Assert.Equal("""{"type":"string","description":"Anything"}""", Property(tool, "value").ToJsonString());
        Assert.Equal("object", tool["inputSchema"]!["type"]!.GetValue<string>());
        Assert.Equal(
            [
                "tool t, property path inputSchema: added \"type\": \"object\" (inferred)",
                "tool t, property path inputSchema.properties.mode: moved \"enum\" [\"a\",\"b\"] into the description",
                "tool t, property path inputSchema.properties.mode: added \"type\": \"string\" (inferred)",
                "tool t, property path inputSchema.properties.value: the property may hold any value; AgentCore has no such type, so it is declared \"type\": \"string\"",
            ],
            changes);
    }

    [Fact]
    public void Local_refs_are_inlined_and_defs_removed()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"type":"object","$defs":{"Point":{"type":"object","properties":{"x":{"type":"number"}},"required":["x"]}},
              "properties":{"at":{"$ref":"#/$defs/Point","description":"Where"}},"required":["at"]}}
            """);

        Assert.Equal("""{"type":"object","description":"Where","properties":{"x":{"type":"number"}},"required":["x"]}""", Property(tool, "at").ToJsonString());
        Assert.Equal(
            [
                "tool t, property path inputSchema.properties.at: inlined \"$ref\": \"#/$defs/Point\"",
                "tool t, property path inputSchema: removed \"$defs\" (references to it are inlined)",
            ],
            changes);
    }

    [Fact]
    public void A_recursive_ref_is_cut_to_its_type()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"type":"object","definitions":{"Node":{"type":"object","properties":{"child":{"$ref":"#/definitions/Node"}}}},
              "properties":{"root":{"$ref":"#/definitions/Node"}}}}
            """);

        Assert.Equal("""{"type":"object","properties":{"child":{"type":"object"}}}""", Property(tool, "root").ToJsonString());
        Assert.Contains("tool t, property path inputSchema.properties.root.properties.child: recursive \"$ref\": \"#/definitions/Node\" cut to \"type\": \"object\" without members", changes);
    }

    [Fact]
    public void Required_names_that_are_not_properties_are_removed()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"type":"object","properties":{"a":{"type":"string"}},"required":["a","ghost"]}}
            """);

        Assert.Equal("""["a"]""", tool["inputSchema"]!["required"]!.ToJsonString());
        Assert.Equal(["tool t, property path inputSchema.required: removed \"ghost\" (no such property)"], changes);
    }

    [Fact]
    public void A_null_only_property_is_removed()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"type":"object","properties":{"a":{"type":"string"},"nothing":{"type":"null"}},"required":["nothing"]}}
            """);

        Assert.Equal("""{"a":{"type":"string"}}""", tool["inputSchema"]!["properties"]!.ToJsonString());
        Assert.Equal("[]", tool["inputSchema"]!["required"]!.ToJsonString());
        Assert.Equal(
            [
                "tool t, property path inputSchema.properties.nothing: \"type\": \"null\" allows only null; removed",
                "tool t, property path inputSchema.properties.nothing: removed the property (it can only be null)",
                "tool t, property path inputSchema.required: removed \"nothing\" (the property accepts null, so it is optional)",
            ],
            changes);
    }

    [Fact]
    public void A_union_of_several_types_keeps_the_first_and_says_so()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"type":"object","properties":{"id":{"oneOf":[{"type":"string"},{"type":"integer"}]}}}}
            """);

        Assert.Equal("""{"type":"string"}""", Property(tool, "id").ToJsonString());
        Assert.Equal(["tool t, property path inputSchema.properties.id: \"oneOf\" [string, integer] reduced to its first non-null member (string); AgentCore has no unions"], changes);
    }

    [Fact]
    public void Other_keywords_are_removed_one_change_each()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"t","description":"d","inputSchema":{"type":"object","properties":{"n":{"type":"number","minimum":1,"maximum":10,"title":"N"}}}}
            """);

        Assert.Equal("""{"type":"number"}""", Property(tool, "n").ToJsonString());
        Assert.Equal(
            [
                "tool t, property path inputSchema.properties.n: removed \"minimum\": 1",
                "tool t, property path inputSchema.properties.n: removed \"maximum\": 10",
                "tool t, property path inputSchema.properties.n: removed \"title\": \"N\"",
            ],
            changes);
    }

    [Fact]
    public void A_tool_without_description_or_properties_gets_them_and_metadata_is_left_out()
    {
        var (tool, changes) = ConvertOne("""
            {"name":"ping","title":"Ping the server","annotations":{"readOnlyHint":true},"_meta":{"x":1},"inputSchema":{"type":"object"}}
            """);

        Assert.Equal("""{"name":"ping","description":"Ping the server","inputSchema":{"type":"object","properties":{}}}""", tool.ToJsonString());
        Assert.Equal(
            [
                "tool ping, property path description: the tool has no description; used its title",
                "tool ping, property path inputSchema: added \"properties\": {}",
            ],
            changes);
    }

    [Fact]
    public void A_tool_without_a_name_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => AgentCoreToolSchemaConverter.Convert([JsonNode.Parse("""{"description":"x"}""")]));

        Assert.Equal("tools[0] has no name.", error.Message);
    }

    private static (JsonObject Tool, List<string> Changes) ConvertOne(string json)
    {
        var conversion = AgentCoreToolSchemaConverter.Convert([JsonNode.Parse(json)]);
        return ((JsonObject)Assert.Single(conversion.Tools)!, conversion.Changes.Select(c => c.ToString()).ToList());
    }

    private static JsonNode Property(JsonObject tool, string name) => tool["inputSchema"]!["properties"]![name]!;
}
