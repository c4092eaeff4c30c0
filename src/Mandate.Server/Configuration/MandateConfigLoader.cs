using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Mandate.Server.Configuration;

/// <summary>
/// Reads <c>mandate.yaml</c>: YAML → node index (shape check, line numbers) → DTOs (YamlDotNet) →
/// validated immutable records. Reports every problem it can find in one pass: a shape problem (an unknown key, a
/// list where a mapping belongs) is reported and the rest of the file is still validated.
/// </summary>
public static class MandateConfigLoader
{
    /// <summary>Deepest nesting of mappings and lists accepted; a real configuration is about six deep.</summary>
    public const int MaxDepth = 64;

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
        var lastLine = LastLine(text);
        var stream = new YamlStream();
        var parser = new DepthLimitedParser(new Parser(new StringReader(text)), MaxDepth);
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            // At the end of the text YamlDotNet points one line past it; the unfinished thing is on the last line.
            return Failed(new ConfigProblem("", $"not valid yaml: {e.InnerException?.Message ?? e.Message}", Math.Clamp((int)e.Start.Line, 1, lastLine)));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's reader itself fails on some malformed text (found by fuzzing, fuzz/crashes/config); that is
            // still a file that is not valid yaml, never a reason to stop with a stack trace.
            var line = Math.Clamp((int)parser.LastEnd.Line, 1, lastLine);
            return Failed(new ConfigProblem("", $"not valid yaml: the yaml reader could not read past line {line}", line));
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return Failed(new ConfigProblem("", "the file must hold exactly one yaml mapping", 1));
        }

        var shapeProblems = new List<ConfigProblem>();
        var index = YamlNodeIndex.Build(root, typeof(ConfigDocument), shapeProblems);
        if (index.TooLarge)
        {
            return Failed([.. shapeProblems.OrderBy(p => p.Line ?? int.MaxValue)]);
        }

        ConfigDocument document;
        try
        {
            // The DTOs are read from the part of the file that fits their shape; what does not fit is already a problem.
            var fitting = new StringWriter();
            new YamlStream(new YamlDocument(index.Fitting)).Save(fitting, assignAnchors: false);
            document = new DeserializerBuilder().Build().Deserialize<ConfigDocument?>(fitting.ToString()) ?? new ConfigDocument();
        }
        catch (YamlException e)
        {
            return Failed([.. shapeProblems, new ConfigProblem("", e.InnerException?.Message ?? e.Message, null)]);
        }

        var validator = new MandateConfigValidator(System.IO.Path.GetFullPath(sourcePath), index);
        var config = validator.Validate(document);

        // A value of the wrong shape was read as absent; what the validators say about it again ("required") is noise.
        // YamlDotNet marks a node that ends the text (an empty value after a last key) on the line after it; the
        // problem is on the last line (fuzz/crashes/config/key-at-end-without-newline.yaml).
        var problems = shapeProblems.Concat(validator.Problems.Where(p => !YamlNodeIndex.IsWithin(p.Path, index.Misfits)))
            .Select(p => p.Line > lastLine ? p with { Line = lastLine } : p)
            .OrderBy(p => p.Line ?? int.MaxValue)
            .ToList();
        return problems.Count > 0 ? new ConfigLoadResult(null, problems) : new ConfigLoadResult(config, []);
    }

    private static ConfigLoadResult Failed(params ConfigProblem[] problems) => new(null, problems);

    // The number of the last line, counting line breaks as YAML does (CR LF, CR, LF, NEL, LS, PS).
    private static int LastLine(string text)
    {
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\r' or '\n' or '\u0085' or '\u2028' or '\u2029':
                    line++;
                    break;
            }
        }

        return line;
    }
}
