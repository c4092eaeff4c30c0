namespace Mandate.Core.Mcp;

/// <summary>
/// The MCP protocol versions Mandate understands. <b>Legacy</b> versions (2025-11-25 and earlier) open a session with
/// <c>initialize</c>; <b>modern</b> ones (2026-07-28 on) are stateless and carry version, client info and capabilities
/// in every request's <c>_meta</c>. Mandate is dual-era: it serves both, on the same endpoint.
/// </summary>
public static class McpProtocolVersions
{
    /// <summary>The first dated version (HTTP+SSE transport).</summary>
    public const string V20241105 = "2024-11-05";

    /// <summary>Streamable HTTP; the only version with JSON-RPC batches.</summary>
    public const string V20250326 = "2025-03-26";

    /// <summary>Batches removed; <c>MCP-Protocol-Version</c> header required after initialization.</summary>
    public const string V20250618 = "2025-06-18";

    /// <summary>URL-mode elicitation and its <c>URLElicitationRequiredError</c> (-32042); messages read like 2025-06-18's.</summary>
    public const string V20251125 = "2025-11-25";

    /// <summary>Stateless: no <c>initialize</c>, no session; <c>_meta</c> on every request, <c>server/discover</c>, mirrored headers, multi round-trip requests.</summary>
    public const string V20260728 = "2026-07-28";

    /// <summary>The newest legacy (handshake) version: what Mandate asks a legacy upstream for.</summary>
    public const string LatestLegacy = V20251125;

    /// <summary>The newest version.</summary>
    public const string Latest = V20260728;

    /// <summary>Every legacy version, oldest first.</summary>
    public static IReadOnlyList<string> Legacy { get; } = [V20241105, V20250326, V20250618, V20251125];

    /// <summary>Every modern version, oldest first.</summary>
    public static IReadOnlyList<string> Modern { get; } = [V20260728];

    /// <summary>Every supported version, newest first (the order <c>server/discover</c> and <c>UnsupportedProtocolVersionError</c> name them in).</summary>
    public static IReadOnlyList<string> Supported { get; } = [V20260728, V20251125, V20250618, V20250326, V20241105];

    /// <summary>Every known version, oldest first.</summary>
    public static IReadOnlyList<string> All { get; } = [V20241105, V20250326, V20250618, V20251125, V20260728];

    /// <summary>True when <paramref name="version"/> is exactly one of <see cref="All"/> (ordinal).</summary>
    public static bool IsKnown(string? version) => version is V20241105 or V20250326 or V20250618 or V20251125 or V20260728;

    /// <summary>True for a stateless (per-request <c>_meta</c>) version.</summary>
    public static bool IsModern(string? version) => version is V20260728;

    /// <summary>True for a handshake version Mandate knows.</summary>
    public static bool IsLegacy(string? version) => version is V20241105 or V20250326 or V20250618 or V20251125;

    /// <summary>True only for 2025-11-25: the client may be answered <c>URLElicitationRequiredError</c> when it declared URL elicitation.</summary>
    public static bool HasUrlElicitation(string? version) => version is V20251125;

    /// <summary>True only for 2025-03-26: 2024-11-05 predates batching over HTTP and 2025-06-18 removed it.</summary>
    public static bool AllowsBatch(string? version) => version is V20250326;
}
