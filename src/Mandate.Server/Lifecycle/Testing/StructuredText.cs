using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Server.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mandate.Server.Lifecycle.Testing;

/// <summary>
/// Reads a YAML or JSON file into a JSON tree, so that one reader serves both forms of a policy test file. JSON is read
/// by System.Text.Json with duplicate keys refused; YAML by YamlDotNet with the configuration loader's depth limit,
/// plain scalars typed as YAML's core schema types them (<c>true</c>, <c>12</c>, <c>1.5</c>, <c>null</c>), quoted
/// ones always text.
/// </summary>
internal static class StructuredText
{
    private const int MaxDepth = 64;
    private const int MaxNodes = 200_000;

    /// <summary>The tree of <paramref name="text"/>, or an error naming the line when it is neither valid YAML nor JSON.</summary>
    public static (JsonNode? Tree, string? Error) Read(string text, bool json)
    {
        if (json)
        {
            try
            {
                return (JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = MaxDepth }), null);
            }
            catch (JsonException e)
            {
                return (null, $"not valid json: {e.Message}");
            }
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(new Parser(new StringReader(text)), MaxDepth));
        }
        catch (YamlException e)
        {
            return (null, $"not valid yaml at line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return (null, "not valid yaml: the yaml reader could not read it");
        }

        if (stream.Documents.Count != 1)
        {
            return (null, "the file must hold exactly one yaml document");
        }

        var budget = MaxNodes;
        return Convert(stream.Documents[0].RootNode, ref budget);
    }

    private static (JsonNode? Tree, string? Error) Convert(YamlNode node, ref int budget)
    {
        // Aliases make a node reachable many times ("billion laughs"); every visit counts against the budget.
        if (--budget < 0)
        {
            return (null, $"more than {MaxNodes} values");
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                return (Scalar(scalar), null);
            case YamlSequenceNode sequence:
            {
                var array = new JsonArray();
                foreach (var child in sequence.Children)
                {
                    var (value, error) = Convert(child, ref budget);
                    if (error is not null) return (null, error);
                    array.Add(value);
                }

                return (array, null);
            }

            case YamlMappingNode mapping:
            {
                var obj = new JsonObject();
                foreach (var (key, child) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        return (null, $"line {key.Start.Line}: a key must be plain text");
                    }

                    var (value, error) = Convert(child, ref budget);
                    if (error is not null) return (null, error);
                    if (!obj.TryAdd(name, value))
                    {
                        return (null, $"line {key.Start.Line}: `{name}` is given twice");
                    }
                }

                return (obj, null);
            }

            default:
                return (null, $"line {node.Start.Line}: unsupported yaml node");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            _ when text.Any(char.IsAsciiDigit) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
            _ => JsonValue.Create(text),
        };
    }
}
