using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Mandate.Core.Approvals;
using Mandate.Core.Audit;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Configuration;
using Mandate.Server.Flow.Record;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Flow.Approve;

/// <summary>
/// Step-up approval as the flow uses it: opens an approval request for a call every denying policy of which asks for
/// one, holds an approval for the one call it was granted for (by its id, or by repeating exactly the approved call),
/// consumes it when that call is allowed and recorded, and lets people decide on the control plane. Every step is
/// recorded in the audit chain (<c>approval_requested</c>, <c>_notified</c>, <c>_decided</c>, <c>_consumed</c>,
/// <c>_expired</c>) and a new request is announced to the webhook.
/// </summary>
public sealed class ApprovalDesk : IAsyncDisposable
{
    /// <summary>The data-plane path under which an agent reads its approval's status.</summary>
    public const string StatusPath = "/mandate/approvals/";

    private readonly ApprovalBook _book;
    private readonly DecisionJournal _journal;
    private readonly ApprovalNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sweeper;

    /// <summary>Creates the desk and starts its expiry sweep (every 5 s: expired requests get their record).</summary>
    public ApprovalDesk(ApprovalBook book, DecisionJournal journal, ApprovalNotifier notifier, TimeProvider time, ILogger logger)
    {
        _book = book;
        _journal = journal;
        _notifier = notifier;
        _time = time;
        _logger = logger;
        _sweeper = SweepAsync(_stopping.Token);
    }

    /// <summary>The control plane's address (the default for the link a person opens); set once the plane listens.</summary>
    public Uri? ControlPlane { get; set; }

    /// <summary>The book (for the control plane's reads).</summary>
    public ApprovalBook Book => _book;

    /// <summary>The clock.</summary>
    public TimeProvider Time => _time;

    /// <summary>
    /// Opens an approval request for <paramref name="call"/>, denied by <paramref name="deny"/> under
    /// <paramref name="decisionId"/>; null when it could not be stored (the caller refuses, fail closed).
    /// </summary>
    public async ValueTask<ApprovalTicket?> OpenAsync(FlowRequest request, FlowCall call, Verdict deny, string decisionId, ApprovalBinding binding, TimeSpan expiry, Uri requestBase)
    {
        var caller = request.Caller!.Value.Identity;
        var now = _time.GetUtcNow();
        var approval = new ApprovalRequest
        {
            Id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18)),
            Digest = binding.Digest,
            Status = ApprovalStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now + expiry,
            DecisionId = decisionId,
            Agent = caller.AgentId,
            // A decision API asks about a subject: the person the call is for, who may not approve it.
            User = call.Principal is { } subject ? subject.Entity.Id : caller.User,
            Session = caller.SessionId,
            Chain = caller.DelegationChain,
            Front = request.Front.Name(),
            Action = call.Action.ToString(),
            Resource = call.Resource.Entity.ToString(),
            Target = $"{request.Facts.Method} {request.Facts.Path}",
            Arguments = binding.Arguments,
            Policies = deny.Policies,
            Reasons = deny.Reasons,
            PolicyVersion = request.Snapshot.Version,
        };
        try
        {
            await _book.OpenRequestAsync(approval);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ApprovalLog.StoreFailed(_logger, e, decisionId);
            return null;
        }

        await _journal.RecordApprovalAsync(Event(AuditEvent.Kinds.ApprovalRequested, approval, decisionId));
        var config = request.Snapshot.Config.Approvals;
        var ticket = new ApprovalTicket(approval.Id, new Uri(requestBase, StatusPath + approval.Id), Link(config, approval.Id), approval.ExpiresAt);
        if (config.Webhook is { } webhook)
        {
            _ = NotifyAsync(webhook, approval, ticket);
        }

        return ticket;
    }

    /// <summary>
    /// The approval a call may use: the one it names (<paramref name="approvalId"/>), which must have been granted for
    /// exactly this call, or — when it names none — an approval granted for exactly this call. Null claim with a code
    /// when a named approval does not apply; null claim and null code when none was named and none applies.
    /// </summary>
    public (ApprovalClaim? Claim, ErrorCode? Refusal) Claim(string? approvalId, ApprovalBinding binding)
    {
        var now = _time.GetUtcNow();
        if (approvalId is null)
        {
            return (_book.ClaimByDigest(binding.Digest, now), null);
        }

        var (claim, refusal) = _book.Claim(approvalId, binding.Digest, now);
        return claim is not null ? (claim, null) : (null, refusal switch
        {
            ApprovalRefusal.Unknown => ErrorCatalogue.ApprovalUnknown,
            ApprovalRefusal.Pending => ErrorCatalogue.ApprovalPending,
            ApprovalRefusal.Denied => ErrorCatalogue.ApprovalDenied,
            ApprovalRefusal.Consumed => ErrorCatalogue.ApprovalConsumed,
            ApprovalRefusal.Expired => ErrorCatalogue.ApprovalExpired,
            ApprovalRefusal.InUse => ErrorCatalogue.ApprovalInUse,
            _ => ErrorCatalogue.ApprovalMismatch,
        });
    }

    /// <summary>Uses the approval for good, for the call recorded under <paramref name="decisionId"/>; false when that could not be stored.</summary>
    public async ValueTask<bool> ConsumeAsync(ApprovalClaim claim, string decisionId)
    {
        if (!await _book.ConsumeAsync(claim, _time.GetUtcNow()))
        {
            return false;
        }

        await _journal.RecordApprovalAsync(Event(AuditEvent.Kinds.ApprovalConsumed, claim.Request with { Status = ApprovalStatus.Consumed }, decisionId));
        return true;
    }

    /// <summary>Gives a held approval back unused.</summary>
    public void Release(ApprovalClaim claim) => _book.Release(claim);

    /// <summary>
    /// A person decides on the control plane. Refuses an approver deciding a request of their own agent or one acting
    /// for them (unless <c>approvals.allowSelfApproval</c>), and a request that is no longer pending.
    /// </summary>
    public async Task<(ApprovalRequest? Decided, ErrorCode? Refusal)> DecideAsync(string id, string approver, bool approve, string? comment, ApprovalsConfig config)
    {
        var now = _time.GetUtcNow();
        if (_book.Find(id, now) is not { } current)
        {
            return (null, ErrorCatalogue.ApprovalNotFound);
        }

        var own = current.Agent == approver || current.User == approver || current.Chain.Contains(approver, StringComparer.Ordinal);
        if (own && !config.AllowSelfApproval)
        {
            return (null, ErrorCatalogue.ApprovalSelf);
        }

        ApprovalRequest? decided;
        try
        {
            (decided, _) = await _book.DecideAsync(id, approve, approver, comment, now);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ApprovalLog.StoreFailed(_logger, e, current.DecisionId);
            return (null, ErrorCatalogue.ApprovalUnavailable);
        }

        if (decided is null)
        {
            return (null, ErrorCatalogue.ApprovalNotPending);
        }

        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["by"] = approver };
        if (!string.IsNullOrEmpty(comment))
        {
            details["comment"] = comment;
        }

        await _journal.RecordApprovalAsync(Event(AuditEvent.Kinds.ApprovalDecided, decided, decided.DecisionId) with { Details = details });
        return (decided, null);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for a person to decide; the request as it then is.</summary>
    public async Task<ApprovalRequest?> WaitAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The wait is a step of the request's trace: how long a person took, and what they said.
        using var span = Telemetry.MandateTelemetry.StartStep("mandate.approval.wait");
        span?.SetTag(Telemetry.SpanAttributes.ApprovalId, id);
        var decided = await _book.WaitForDecisionAsync(id, timeout, _time, cancellationToken);
        span?.SetTag("mandate.approval.status", decided?.Status.ToString().ToLowerInvariant() ?? "unknown");
        return decided;
    }

    /// <summary>The link a person opens: <c>approvals.linkBase</c> + id, or the control plane's <c>/v1/approvals/</c> + id.</summary>
    public Uri Link(ApprovalsConfig config, string id) =>
        config.LinkBase is { } b ? new Uri(b.ToString().TrimEnd('/') + "/" + id)
        : new Uri(ControlPlane ?? new Uri("http://127.0.0.1/"), "/v1/approvals/" + id);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _sweeper;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stopping.Dispose();
    }

    private async Task NotifyAsync(WebhookConfig webhook, ApprovalRequest approval, ApprovalTicket ticket)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["id"] = approval.Id,
            ["status"] = approval.Status.Name(),
            ["link"] = ticket.Link.ToString(),
            ["status_url"] = ticket.StatusUrl.ToString(),
            ["created_at"] = approval.CreatedAt,
            ["expires_at"] = approval.ExpiresAt,
            ["agent"] = approval.Agent,
            ["user"] = approval.User,
            ["session"] = approval.Session,
            ["front"] = approval.Front,
            ["action"] = approval.Action,
            ["resource"] = approval.Resource,
            ["target"] = approval.Target,
            ["arguments"] = JsonDocument.Parse(approval.Arguments).RootElement,
            ["policies"] = approval.Policies,
            ["reasons"] = approval.Reasons,
        });
        try
        {
            var status = await _notifier.DeliverAsync(webhook, body, _stopping.Token);
            var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["webhook_status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            await _journal.RecordApprovalAsync(Event(AuditEvent.Kinds.ApprovalNotified, approval, approval.DecisionId) with { Details = details });
        }
        catch (OperationCanceledException)
        {
            // stopping: the request stays listed on the control plane.
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), _time, cancellationToken);
            try
            {
                foreach (var expired in await _book.ExpireDueAsync(_time.GetUtcNow(), cancellationToken))
                {
                    await _journal.RecordApprovalAsync(Event(AuditEvent.Kinds.ApprovalExpired, expired, expired.DecisionId));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ApprovalLog.StoreFailed(_logger, e, "");
            }
        }
    }

    private ApprovalEventRecord Event(string kind, ApprovalRequest r, string decisionId) =>
        new(kind, _time.GetUtcNow(), r.Id, decisionId, r.Agent, r.User, r.Session, r.Action, r.Resource, r.Status.Name());
}

/// <summary>What an approval is bound to: the digest of the call's facts, and its canonical arguments (shown to approvers).</summary>
/// <param name="Digest">The digest (<see cref="ApprovalDigest"/>).</param>
/// <param name="Arguments">The call's arguments as canonical JSON.</param>
public readonly record struct ApprovalBinding(string Digest, string Arguments);
