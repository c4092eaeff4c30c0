using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mandate.Server.Configuration;
using Mandate.Server.Paths;
using Mandate.Server.Routing;

namespace Mandate.Server.Tests.Paths;

/// <summary>
/// The laws of <see cref="CanonicalPath"/> over generated request targets: it is idempotent, its result never has an
/// empty, <c>.</c> or <c>..</c> segment, and the route table answers a raw target exactly as it answers the target's
/// canonical form — so no spelling of a path reaches a route, or a parameter value, that its canonical form does not.
/// </summary>
public sealed class CanonicalPathProperties
{
    // Path pieces drawn so that accepted and refused targets both occur often: dots, slashes, percent signs with
    // valid and invalid hex, encoded unreserved and reserved characters, multi-byte UTF-8 (valid, overlong, surrogate).
    private static readonly string[] Pieces =
    [
        "a", "B", "z9", "-", "_", "~", ".", "..", "/", "//", "%", "%2", "%41", "%61", "%7e", "%7E", "%2F", "%2f", "%2E",
        "%25", "%5C", "%20", "%3F", "%3f", "%40", "%c3%a9", "%C3%A9", "%E2%82%AC", "%F0%9F%98%80", "%C0%AF", "%ED%A0%80",
        "%00", "%zz", ":", "@", "!", "$", "&", "'", "(", ")", "*", "+", ",", "=", ";", "\\", " ", "é", "{", "?", "?q=1",
        "#", "\u0001",
    ];

    // Pieces that never make a target refused on their own, so that two in three targets are accepted and the laws
    // about accepted targets are not tested on a handful of cases.
    private static readonly string[] AcceptedPieces =
        ["a", "B", "z9", "-", "_", "~", "%41", "%61", "%7e", "%20", "%3F", "%3f", "%c3%a9", "%E2%82%AC", ":", "@", "!", "=", "/a", "/.b", "/..c", "?q=%2F"];

    private static readonly Gen<string> Targets = Gen.Frequency(
        (1, Gen.ListOf(Gen.Elements(Pieces)).Select(pieces => "/" + string.Concat(pieces.Take(12)))),
        (2, Gen.ListOf(Gen.Elements(AcceptedPieces)).Select(pieces => "/x" + string.Concat(pieces.Take(12)))));

    // Unreserved characters that the canonical form keeps raw, and the text of segments made from them.
    private static readonly Gen<string> SegmentTexts = Gen.Elements(
        "tickets", "42", "a-b_c~d", "new", "caf\u00e9", "x y", "\u20ac", "a:b", "a@b", "q?x", "..a", "a.b");

    /// <summary>Routes over literals, parameters and catch-alls, including literals that need percent-encoding.</summary>
    private static readonly RouteTable Table = BuildTable("""
          - { method: GET, path: "/tickets/{id}", action: read, resource: { type: T, id: "{id}" }, upstream: api }
          - { method: GET, path: "/tickets/new", action: read, resource: { type: T, id: new }, upstream: api }
          - { method: "*", path: "/files/{*rest}", action: read, resource: { type: F, id: "{rest}" }, upstream: api }
          - { method: GET, path: "/caf%C3%A9/{x}", action: read, resource: { type: C, id: "{x}" }, upstream: api }
          - { method: GET, path: "/a:b/{y}/z", action: read, resource: { type: Z, id: "{y}" }, upstream: api }
          - { method: GET, path: "/{a}/{b}", action: read, resource: { type: P, id: "{a}/{b}" }, upstream: api }
        """);

    [Property(MaxTest = 2000)]
    public Property Parse_Twice_SameAsOnce() =>
        Prop.ForAll(Arb.From(Targets), raw =>
        {
            var (path, _) = CanonicalPath.Parse(raw);
            if (path is null)
            {
                return true;
            }

            var (again, rejection) = CanonicalPath.Parse(path.ToString());
            return rejection is null && again!.Value == path.Value && again.Query == path.Query && again.Segments.SequenceEqual(path.Segments);
        });

    [Property(MaxTest = 2000)]
    public Property Parse_Accepted_NeverHasEmptyOrDotSegments() =>
        Prop.ForAll(Arb.From(Targets), raw =>
        {
            var (path, _) = CanonicalPath.Parse(raw);
            return path is null
                || (!path.Value.Contains("//", StringComparison.Ordinal)
                    && (path.Value == "/" || !path.Value.EndsWith('/'))
                    && path.Segments.All(s => s.Encoded is not ("." or "..") && s.Decoded is not ("." or "..") && !s.Decoded.Contains('/')));
        });

    [Property(MaxTest = 2000)]
    public Property Resolve_RawTarget_SameAsItsCanonicalForm() =>
        Prop.ForAll(Arb.From(Targets), Arb.From(Gen.Elements("GET", "POST")), (raw, method) =>
        {
            var (path, _) = CanonicalPath.Parse(raw);
            if (path is null)
            {
                return true;
            }

            var canonical = CanonicalPath.Parse(path.Value).Path!;
            return SameMatch(Table.Resolve(method, path, out var known1), Table.Resolve(method, canonical, out var known2)) && known1 == known2;
        });

    [Property(MaxTest = 1000)]
    public Property Resolve_AnySpellingOfAPath_SameRouteAndValues() =>
        Prop.ForAll(Arb.From(Gen.ListOf(SegmentTexts).Where(l => l.Count is > 0 and < 5)), Arb.From(Gen.ArrayOf(Gen.Elements(true, false))), (segments, choices) =>
        {
            // The canonical spelling, and another one: every byte percent-encoded or not as `choices` says, hex in either case.
            var canonical = "/" + string.Join('/', segments.Select(s => Spell(s, _ => false, upper: true)));
            var i = 0;
            bool Next() => choices.Length > 0 && choices[i++ % choices.Length];
            var other = "/" + string.Join('/', segments.Select(s => Spell(s, _ => Next(), upper: Next())));

            var a = CanonicalPath.Parse(canonical);
            var b = CanonicalPath.Parse(other);
            return a.Rejection is null && b.Rejection is null
                && a.Path!.Value == b.Path!.Value
                && a.Path.Segments.Select(s => s.Decoded).SequenceEqual(segments)
                && SameMatch(Table.Resolve("GET", a.Path, out _), Table.Resolve("GET", b.Path, out _));
        });

    [Property(MaxTest = 500)]
    public Property Match_ParameterSegment_IsTheDecodedText() =>
        Prop.ForAll(Arb.From(SegmentTexts), text =>
        {
            var (path, _) = CanonicalPath.Parse("/tickets/" + Uri.EscapeDataString(text));
            var match = Table.Resolve("GET", path!, out _);
            return text == "new" ? match!.Route.Path.Text == "/tickets/new" : match!.Parameters["id"] == text;
        });

    // Percent-encodes each UTF-8 byte of `text` that must be encoded, and also the unreserved ones `encode` picks.
    private static string Spell(string text, Func<byte, bool> encode, bool upper)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            var unreserved = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '~';
            var plain = unreserved || c is '.' or ':' or '@';
            if (plain && !(unreserved && encode(b)))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString(upper ? "X2" : "x2"));
            }
        }

        return sb.ToString();
    }

    private static bool SameMatch(RouteMatch? a, RouteMatch? b) =>
        (a is null && b is null)
        || (a is not null && b is not null
            && a.Route.Index == b.Route.Index
            && a.Parameters.OrderBy(p => p.Key).SequenceEqual(b.Parameters.OrderBy(p => p.Key))
            && a.Resource.Entity == b.Resource.Entity);

    private static RouteTable BuildTable(string routes)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mandate-cpp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(dir, "p"));
        try
        {
            var text = $$"""
                controlPlane: { adminToken: "0123456789abcdef0123" }
                identity: { oidc: [ { issuer: "https://issuer.example", audiences: [m] } ] }
                policies: { directory: p }
                upstreams: { api: { url: "http://127.0.0.1:9" } }
                routes:
                {{routes}}
                """;
            var loaded = MandateConfigLoader.Parse(text, Path.Combine(dir, "mandate.yaml"));
            Assert.True(loaded.Succeeded, string.Join("\n", loaded.Problems));
            return new RouteTable(loaded.Config!.Routes);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
