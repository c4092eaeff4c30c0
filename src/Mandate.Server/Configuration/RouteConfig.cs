using Mandate.Core.Decisions;
using Mandate.Server.Paths;

namespace Mandate.Server.Configuration;

/// <summary><c>routes[i]</c>: what a method + path means to Cedar and where it goes.</summary>
/// <param name="Index">Position in the file (for messages).</param>
/// <param name="Method">Upper-case HTTP method, or <c>*</c> for any.</param>
/// <param name="Path">The path template.</param>
/// <param name="Action">The Cedar action (fully qualified).</param>
/// <param name="Resource">How to build the resource entity.</param>
/// <param name="Upstream">The upstream's name.</param>
public sealed record RouteConfig(int Index, string Method, RouteTemplate Path, EntityRef Action, ResourceTemplate Resource, string Upstream)
{
    /// <summary>Default cap on a body read for <see cref="RouteArgs.Json"/>: 64 KiB.</summary>
    public const int DefaultArgsMaxBytes = 64 * 1024;

    /// <summary><c>args</c>: whether the JSON body becomes <c>context.args</c> (default <see cref="RouteArgs.None"/>).</summary>
    public RouteArgs Args { get; init; } = RouteArgs.None;

    /// <summary><c>argsMaxBytes</c>: largest body read for <see cref="RouteArgs.Json"/>; larger ones are refused with 413.</summary>
    public int ArgsMaxBytes { get; init; } = DefaultArgsMaxBytes;

    /// <summary><c>labels</c>: data labels of the route's calls (added to a session's <c>labels_seen</c> when allowed).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary><c>write</c>: whether a call counts as a write (default: any method but GET, HEAD and OPTIONS).</summary>
    public bool Write { get; init; }

    /// <summary><c>approval.expirySeconds</c>: how long an approval of a call here lasts; null for <c>approvals.expirySeconds</c>.</summary>
    public TimeSpan? ApprovalExpiry { get; init; }

    /// <summary><c>approval.waitSeconds</c>: how long a call needing approval is held open while a person decides (0: answered at once).</summary>
    public TimeSpan ApprovalWait { get; init; }

    /// <summary>The agent request headers this route forwards (case-insensitive): <see cref="RequestHeaderRules.DefaultForwarded"/>
    /// plus the upstream's and the route's <c>requestHeaders</c>. Every other header is dropped.</summary>
    public IReadOnlySet<string> ForwardedHeaders { get; init; } = RequestHeaderRules.Forwarded([], []);

    /// <summary><c>nonAscii: allow</c>: the path may hold percent-encoded non-ASCII characters (in NFKC form, none of
    /// them a look-alike of <c>. / \ %</c> or a control character). Default false: such a path is refused with 400
    /// <c>path.non_ascii</c>.</summary>
    public bool NonAsciiPaths { get; init; }

    /// <summary><c>dpop: required</c>: only a DPoP-bound task token with a valid proof may call this route; a bearer
    /// token is refused with 401 <c>dpop.required</c> on every front. Default false (<c>optional</c>).</summary>
    public bool DpopRequired { get; init; }

    /// <summary><c>durability</c>: what a call's decision record must survive before the call is forwarded —
    /// <c>process_crash</c> (the default: written to the log file) or <c>power_loss</c> (an fsync covers it), for a
    /// high-risk route.</summary>
    public Mandate.Core.Audit.AuditDurability Durability { get; init; }
}
