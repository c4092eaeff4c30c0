namespace Mandate.Server.Configuration;

/// <summary><c>approvals</c>: how step-up approvals are asked for and decided.</summary>
/// <param name="Expiry">How long an approval request stays open, and an approval usable (default 600 s).</param>
/// <param name="LinkBase">The link a person opens is this URL with the approval id appended; null: the control plane's <c>/v1/approvals/</c>.</param>
/// <param name="Webhook">Where a new approval request is announced, signed; null for none.</param>
/// <param name="Approvers">Who may approve (the approver role), each with their own control-plane token.</param>
/// <param name="AllowSelfApproval">Whether an approver may approve a request of their own agent, or one acting for them (default false).</param>
public sealed record ApprovalsConfig(TimeSpan Expiry, Uri? LinkBase, WebhookConfig? Webhook, IReadOnlyList<ApproverConfig> Approvers, bool AllowSelfApproval = false)
{
    /// <summary>The default: 10 minutes, no webhook, no approvers (step-up answers still name the approval; nobody can grant it).</summary>
    public static ApprovalsConfig Default { get; } = new(TimeSpan.FromMinutes(10), null, null, []);
}

/// <summary><c>approvals.webhook</c>: a POST per new approval request, HMAC-SHA256-signed.</summary>
/// <param name="Url">Where to POST.</param>
/// <param name="Secret">The shared HMAC key (from <c>secretFile</c>).</param>
public sealed record WebhookConfig(Uri Url, string Secret);

/// <summary><c>approvals.approvers[i]</c>: a person with the approver role on the control plane.</summary>
/// <param name="Id">Their identity as records show it (compared with the agent and user of a request: nobody approves their own).</param>
/// <param name="Token">Their control-plane bearer token (from <c>tokenFile</c>).</param>
public sealed record ApproverConfig(string Id, string Token);

/// <summary><c>mcp.servers.NAME.tools.TOOL</c>: what Mandate knows about one tool beyond its definition.</summary>
/// <param name="Labels">Data labels of the tool (added to the session's <c>labels_seen</c> when a call is allowed).</param>
/// <param name="Write">Whether a call counts as a write (default true: a tool may change anything).</param>
/// <param name="ApprovalExpiry">How long an approval of a call to it lasts; null for <c>approvals.expirySeconds</c>.</param>
public sealed record McpToolConfig(IReadOnlyList<string> Labels, bool Write, TimeSpan? ApprovalExpiry)
{
    /// <summary><c>durability</c>: <c>power_loss</c> for a high-risk tool (its decision record is fsync'd before the
    /// call goes to the server); default <c>process_crash</c>.</summary>
    public Mandate.Core.Audit.AuditDurability Durability { get; init; }
}
