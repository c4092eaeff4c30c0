using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Mandate.Server.Configuration;

/// <summary>
/// Reads <c>mandate.yaml</c>: YAML → node index (shape check, line numbers) → DTOs (YamlDotNet) →
/// validated immutable records. Reports every problem it can find in one pass.
/// </summary>
public static class MandateConfigLoader
{
    /// <summary>Loads and validates a configuration file.</summary>
    public static ConfigLoadResult Load(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ConfigLoadResult(null, [new ConfigProblem("", $"cannot read `{fullPath}`: {e.Message}", null)]);
        }

        return Parse(text, fullPath);
    }

    /// <summary>Validates configuration text; relative paths resolve against <paramref name="sourcePath"/>'s folder.</summary>
    public static ConfigLoadResult Parse(string text, string sourcePath)
    {
        var problems = new List<ConfigProblem>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return new ConfigLoadResult(null, [new ConfigProblem("", $"not valid yaml: {e.InnerException?.Message ?? e.Message}", (int)e.Start.Line)]);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return new ConfigLoadResult(null, [new ConfigProblem("", "the file must hold exactly one yaml mapping", 1)]);
        }

        var index = YamlNodeIndex.Build(root, typeof(ConfigDocument), problems);
        if (problems.Count > 0)
        {
            // The DTOs cannot be read faithfully when the shape is wrong; report shape problems only.
            return new ConfigLoadResult(null, problems);
        }

        ConfigDocument document;
        try
        {
            document = new DeserializerBuilder().Build().Deserialize<ConfigDocument?>(text) ?? new ConfigDocument();
        }
        catch (YamlException e)
        {
            return new ConfigLoadResult(null, [new ConfigProblem("", e.InnerException?.Message ?? e.Message, (int)e.Start.Line)]);
        }

        var validator = new MandateConfigValidator(System.IO.Path.GetFullPath(sourcePath), index);
        var config = validator.Validate(document);
        return validator.Problems.Count > 0
            ? new ConfigLoadResult(null, validator.Problems)
            : new ConfigLoadResult(config, []);
    }
}
