namespace Mandate.Demo;

/// <summary>
/// The printed approval by a person: <c>mandate approvals approve "$VARIABLE" --admin-url … --token-file … --comment …</c>,
/// run between the call that opened the approval request and the retry that uses it.
/// </summary>
/// <param name="Title">What the step shows, one line.</param>
/// <param name="Approver">The approver's id in <c>approvals.approvers</c> (never the agent or anyone it acts for).</param>
/// <param name="Variable">The shell variable holding the approval id (set by the call that opened the request).</param>
/// <param name="Comment">The comment recorded with the decision.</param>
public sealed record DemoApprovalStep(string Title, string Approver, string Variable, string Comment)
{
    /// <summary>The approver's token file, in the demo's data directory (made on the first run, like the admin token).</summary>
    public string TokenFileName => Approver + ".token";
}
