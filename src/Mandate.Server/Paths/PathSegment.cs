namespace Mandate.Server.Paths;

/// <summary>One segment of a canonical path.</summary>
/// <param name="Encoded">The segment as forwarded (reserved and non-ASCII bytes percent-encoded, upper-case hex).</param>
/// <param name="Decoded">The segment fully decoded (valid UTF-8), used to match templates and to fill entity ids.</param>
public sealed record PathSegment(string Encoded, string Decoded);
