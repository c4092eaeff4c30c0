using System.Text;
using Mandate.Server.Paths;

namespace Mandate.Fuzz.Targets;

/// <summary>
/// The path canonicaliser (<see cref="CanonicalPath.Parse"/>) and the route templates that match its result. The
/// input is a raw request target, one byte per character (Latin-1), as it comes off the request line.
/// </summary>
/// <remarks>
/// Expected failure: a <see cref="PathRejection"/> with a <c>path.*</c> code. Findings: any exception; a canonical
/// path that has an empty, <c>.</c> or <c>..</c> segment, is not a fixpoint, changes the query, disagrees with its
/// own segments, or is matched differently from its canonical form by a route template.
/// </remarks>
public sealed class CanonicalPathTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "canonical-path";

    /// <inheritdoc />
    public override string Description => "request target → canonical path → route templates; findings: exceptions, `..`/`//` in a result, not idempotent, route disagreement";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input)
    {
        var raw = Encoding.Latin1.GetString(input);
        var (path, rejection) = CanonicalPath.Parse(raw);
        if (path is null)
        {
            Check(rejection is not null && rejection.Code.Code.StartsWith("path.", StringComparison.Ordinal), "a refused target has a path.* code");
            return;
        }

        Check(rejection is null, "an accepted target has no rejection");
        var queryStart = raw.IndexOf('?');
        Check(path.Query == (queryStart < 0 ? "" : raw[queryStart..]), "the query is forwarded as received");
        Check(path.Value.StartsWith('/') && path.Value.Length <= Math.Max(1, queryStart < 0 ? raw.Length : queryStart), "the canonical path starts with / and is no longer than the raw one");
        Check(path.Value == "/" + string.Join('/', path.Segments.Select(s => s.Encoded)), "the value is its segments joined");
        foreach (var segment in path.Segments)
        {
            Check(segment.Encoded.Length > 0 && segment.Encoded is not ("." or ".."), "no empty, `.` or `..` segment");
            Check(!segment.Encoded.Contains('/') && !segment.Decoded.Contains('/'), "a segment never holds `/`, raw or decoded");
            Check(segment.Decoded == Uri.UnescapeDataString(segment.Encoded), "a segment's decoded form is its encoded form, unescaped");
            Check(segment.Decoded is not ("." or ".."), "no segment decodes to `.` or `..`");
        }

        var (again, againRejection) = CanonicalPath.Parse(path.ToString());
        Check(againRejection is null && again!.Value == path.Value && again.Query == path.Query, "canonical(canonical(x)) = canonical(x)");
        Check(again!.Segments.SequenceEqual(path.Segments), "the canonical form has the same segments");

        RoutesAgree(path, again);
    }

    // Templates made from the path itself: all literals, all parameters, and a catch-all after each prefix.
    private static void RoutesAgree(CanonicalPath path, CanonicalPath canonical)
    {
        if (path.Segments.Count == 0)
        {
            return;
        }

        var literal = RouteTemplate.Parse(path.Value);
        Check(literal.Template is not null, "a canonical path is a valid literal template");
        var parameters = RouteTemplate.Parse("/" + string.Join('/', path.Segments.Select((_, i) => $"{{p{i}}}")));
        var catchAll = RouteTemplate.Parse("/" + string.Join('/', path.Segments.Take(path.Segments.Count - 1).Select(s => s.Encoded).Append("{*rest}")));
        foreach (var template in new[] { literal.Template!, parameters.Template!, catchAll.Template! })
        {
            var onRaw = template.Match(path);
            var onCanonical = template.Match(canonical);
            Check(onRaw is not null, $"`{template.Text}` matches the path it was made from");
            Check(onCanonical is not null && onRaw!.OrderBy(p => p.Key).SequenceEqual(onCanonical.OrderBy(p => p.Key)), "a route matches the raw target iff it matches its canonical form, with the same values");
        }

        var values = parameters.Template!.Match(path)!;
        for (var i = 0; i < path.Segments.Count; i++)
        {
            Check(values[$"p{i}"] == path.Segments[i].Decoded, "a parameter is the decoded segment");
        }
    }
}
