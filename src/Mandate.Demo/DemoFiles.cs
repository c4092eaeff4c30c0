using System.Reflection;
using System.Text;

namespace Mandate.Demo;

/// <summary>
/// The demo's sample policies, schema, entities and configuration template (the repository's
/// <c>demo/</c> folder, embedded in this assembly so that <c>mandate demo</c> needs no checkout).
/// </summary>
public static class DemoFiles
{
    private const string Prefix = "demo/";

    /// <summary>The configuration template's name; its <c>{{name}}</c> placeholders are filled by <see cref="RenderConfig"/>.</summary>
    public const string ConfigTemplate = "mandate.yaml";

    /// <summary>Relative paths of every embedded demo file, e.g. <c>policies/documents.cedar</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(DemoFiles).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..].Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The text of one embedded file.</summary>
    public static string Read(string name)
    {
        var assembly = typeof(DemoFiles).Assembly;
        var resource = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n[Prefix.Length..].Replace('\\', '/') == name)
            ?? throw new FileNotFoundException($"no embedded demo file `{name}`");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Writes the policies, schema and entities under <paramref name="directory"/> (replacing an
    /// earlier demo's policies folder, so a removed sample policy does not linger).
    /// </summary>
    public static void WritePolicyFiles(string directory)
    {
        var policies = Path.Combine(directory, "policies");
        if (Directory.Exists(policies))
        {
            Directory.Delete(policies, recursive: true);
        }

        foreach (var name in Names.Where(n => n != ConfigTemplate))
        {
            var target = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, Read(name));
        }
    }

    /// <summary>The configuration template with every <c>{{key}}</c> replaced; an unknown or unfilled placeholder is an error.</summary>
    public static string RenderConfig(IReadOnlyDictionary<string, string> values)
    {
        var text = Read(ConfigTemplate);
        foreach (var (key, value) in values)
        {
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        var open = text.IndexOf("{{", StringComparison.Ordinal);
        if (open >= 0)
        {
            var close = text.IndexOf("}}", open, StringComparison.Ordinal);
            throw new InvalidOperationException($"demo config placeholder `{text[open..(close < 0 ? text.Length : close + 2)]}` has no value");
        }

        return text;
    }
}
