using System.Text;
using System.Text.RegularExpressions;

namespace Mandate.Server.Configuration;

/// <summary>A string with <c>{name}</c> placeholders filled from route parameters, e.g. an entity id <c>"ticket-{id}"</c>.</summary>
public sealed partial class ValueTemplate
{
    private readonly IReadOnlyList<(bool IsParameter, string Text)> _parts;

    private ValueTemplate(string text, IReadOnlyList<(bool, string)> parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>The parameter names used.</summary>
    public IEnumerable<string> ParameterNames => _parts.Where(p => p.IsParameter).Select(p => p.Text);

    /// <summary>Parses a value template; <c>{{</c> and <c>}}</c> are not supported (braces are reserved).</summary>
    public static (ValueTemplate? Template, string? Error) Parse(string text)
    {
        var parts = new List<(bool, string)>();
        var last = 0;
        foreach (Match m in Placeholder().Matches(text))
        {
            if (m.Index > last)
            {
                parts.Add((false, text[last..m.Index]));
            }

            parts.Add((true, m.Groups[1].Value));
            last = m.Index + m.Length;
        }

        if (last < text.Length)
        {
            parts.Add((false, text[last..]));
        }

        foreach (var (isParameter, part) in parts)
        {
            if (!isParameter && (part.Contains('{') || part.Contains('}')))
            {
                return (null, $"`{text}` has an unbalanced or invalid `{{…}}` placeholder");
            }
        }

        return (new ValueTemplate(text, parts), null);
    }

    /// <summary>Fills the placeholders.</summary>
    public string Render(IReadOnlyDictionary<string, string> parameters)
    {
        if (_parts.Count == 1 && !_parts[0].IsParameter)
        {
            return _parts[0].Text;
        }

        var sb = new StringBuilder();
        foreach (var (isParameter, text) in _parts)
        {
            sb.Append(isParameter ? parameters[text] : text);
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
