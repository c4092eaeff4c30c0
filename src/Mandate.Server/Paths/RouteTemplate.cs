using System.Text.RegularExpressions;

namespace Mandate.Server.Paths;

/// <summary>A parsed path template such as <c>/tickets/{id}</c> or <c>/files/{*rest}</c>.</summary>
public sealed partial class RouteTemplate
{
    private RouteTemplate(string text, IReadOnlyList<TemplateSegment> segments)
    {
        Text = text;
        Segments = segments;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>The template's segments.</summary>
    public IReadOnlyList<TemplateSegment> Segments { get; }

    /// <summary>The names of the template's parameters.</summary>
    public IEnumerable<string> ParameterNames => Segments.Where(s => s.Kind != TemplateSegmentKind.Literal).Select(s => s.Text);

    /// <summary>Parses a template; returns a message for the first problem.</summary>
    public static (RouteTemplate? Template, string? Error) Parse(string text)
    {
        if (string.IsNullOrEmpty(text) || text[0] != '/')
        {
            return (null, "must start with `/`");
        }

        if (text == "/")
        {
            return (new RouteTemplate(text, []), null);
        }

        var segments = new List<TemplateSegment>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var parts = text[1..].Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0)
            {
                return (null, "has an empty segment (`//` or a trailing `/`), which no canonical path has");
            }

            if (part.StartsWith('{') && part.EndsWith('}'))
            {
                var catchAll = part.StartsWith("{*", StringComparison.Ordinal);
                var name = catchAll ? part[2..^1] : part[1..^1];
                if (!ParameterName().IsMatch(name))
                {
                    return (null, $"`{part}` is not a valid parameter (letters, digits, `_`)");
                }

                if (!names.Add(name))
                {
                    return (null, $"parameter `{name}` appears twice");
                }

                if (catchAll && i != parts.Length - 1)
                {
                    return (null, $"catch-all `{part}` must be the last segment");
                }

                segments.Add(new TemplateSegment(catchAll ? TemplateSegmentKind.CatchAll : TemplateSegmentKind.Parameter, name));
                continue;
            }

            if (part.Contains('{') || part.Contains('}'))
            {
                return (null, $"`{part}`: a parameter must be a whole segment");
            }

            // A template matches paths; `?` would start a query, which the canonical path keeps apart (and `/a/?b`
            // left no segment at all: an ArgumentOutOfRangeException found by fuzzing, fuzz/crashes/config).
            if (part.Contains('?') || part.Contains('#'))
            {
                return (null, $"`{part}`: a template is a path only; `?` and `#` must be percent-encoded");
            }

            // A literal must itself be a canonical segment, or it could never match.
            var (canonical, rejection) = CanonicalPath.Parse("/" + part);
            if (rejection is not null)
            {
                return (null, $"`{part}`: {rejection.Message}");
            }

            segments.Add(new TemplateSegment(TemplateSegmentKind.Literal, canonical!.Segments[0].Decoded));
        }

        return (new RouteTemplate(text, segments), null);
    }

    /// <summary>Matches a canonical path; returns the parameter values (decoded), or null.</summary>
    public IReadOnlyDictionary<string, string>? Match(CanonicalPath path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var pathSegments = path.Segments;
        for (var i = 0; i < Segments.Count; i++)
        {
            var t = Segments[i];
            if (t.Kind == TemplateSegmentKind.CatchAll)
            {
                if (i >= pathSegments.Count)
                {
                    return null;
                }

                values[t.Text] = string.Join('/', pathSegments.Skip(i).Select(s => s.Decoded));
                return values;
            }

            if (i >= pathSegments.Count)
            {
                return null;
            }

            if (t.Kind == TemplateSegmentKind.Literal)
            {
                if (!string.Equals(t.Text, pathSegments[i].Decoded, StringComparison.Ordinal))
                {
                    return null;
                }
            }
            else
            {
                values[t.Text] = pathSegments[i].Decoded;
            }
        }

        return pathSegments.Count == Segments.Count ? values : null;
    }

    /// <summary>
    /// Orders two templates that both match a path: negative when this one is more specific
    /// (compared segment by segment: literal, then parameter, then catch-all; then longer first).
    /// </summary>
    public int CompareSpecificity(RouteTemplate other)
    {
        var n = Math.Min(Segments.Count, other.Segments.Count);
        for (var i = 0; i < n; i++)
        {
            var c = Segments[i].Kind.CompareTo(other.Segments[i].Kind);
            if (c != 0)
            {
                return c;
            }
        }

        return other.Segments.Count.CompareTo(Segments.Count);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ParameterName();
}
