using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Audit;

namespace Mandate.Core.Decisions;

/// <summary>
/// The gateway's records written to the hash-chained <see cref="IAuditLog"/>. A decision record is
/// acknowledged only when the log says it is durable. Readiness reports false after a failed append
/// until an append succeeds again, or when the log cannot be read.
/// </summary>
public sealed class AuditDecisionRecorder : IDecisionRecorder
{
    private readonly IAuditLog _log;
    private readonly string _node;
    private readonly Action<AuditEvent, AuditError> _markFailed;
    private volatile bool _lastAppendFailed;

    /// <summary>Creates the recorder.</summary>
    /// <param name="log">The audit log.</param>
    /// <param name="node">This node's name, written into every record.</param>
    public AuditDecisionRecorder(IAuditLog log, string node)
    {
        _log = log;
        _node = node;
        _markFailed = (_, _) => _lastAppendFailed = true;
    }

    /// <inheritdoc />
    public ValueTask<RecordResult> RecordDecisionAsync(DecisionRecord r, CancellationToken cancellationToken) =>
        AppendAsync(new AuditEvent
        {
            Kind = AuditEvent.Kinds.Decision,
            DecisionId = r.DecisionId,
            Time = r.Time,
            Node = _node,
            Agent = r.Caller?.AgentId,
            User = r.Caller?.User,
            SessionId = r.Caller?.SessionId,
            Chain = r.Caller?.DelegationChain ?? [],
            Action = r.Action?.ToString(),
            Resource = r.Resource?.ToString(),
            RequestDigest = Digest(r.Request),
            Decision = r.Outcome == DecisionOutcome.Allow ? "allow" : "deny",
            Policies = r.Policies,
            Errors = r.Errors,
            Reasons = r.Reasons,
            Details = Details(
                ("code", r.Code),
                ("front", r.Front),
                ("principal", r.Principal?.ToString()),
                ("ip", r.Request.Ip),
                ("host", r.Request.Host),
                ("method", r.Request.Method),
                ("path", r.Request.Path),
                ("auth_method", r.Caller?.Method),
                ("issuer", r.Caller?.Issuer),
                ("token_id", r.Caller?.TokenId),
                ("policy_version", r.PolicyVersion),
                ("upstream", r.Upstream),
                ("approval_id", r.ApprovalId),
                ("connection", r.Connection)),
            TraceId = r.TraceId ?? "",
        }, cancellationToken, r.Durability);

    /// <inheritdoc />
    public ValueTask<RecordResult> RecordApprovalAsync(ApprovalEventRecord r, CancellationToken cancellationToken)
    {
        var details = new Dictionary<string, string>(r.Details, StringComparer.Ordinal)
        {
            ["approval_id"] = r.ApprovalId,
            ["status"] = r.Status,
        };
        return AppendAsync(new AuditEvent
        {
            Kind = r.Kind,
            DecisionId = r.DecisionId,
            Time = r.Time,
            Node = _node,
            Agent = r.Agent,
            User = r.User,
            SessionId = r.SessionId,
            Action = r.Action,
            Resource = r.Resource,
            Details = details,
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<RecordResult> RecordOutcomeAsync(OutcomeRecord r, CancellationToken cancellationToken) =>
        AppendAsync(Outcome(r), cancellationToken);

    /// <inheritdoc />
    public string? PostOutcome(OutcomeRecord r, Action<string, string>? failed)
    {
        var error = _log.Post(Outcome(r), failed is null ? _markFailed : (e, err) =>
        {
            _lastAppendFailed = true;
            failed(e.DecisionId, err.ToString());
        });
        if (error is not null)
        {
            _lastAppendFailed = true;
        }

        return error?.ToString();
    }

    private AuditEvent Outcome(OutcomeRecord r) => new()
    {
        Kind = AuditEvent.Kinds.Outcome,
        DecisionId = r.DecisionId,
        Time = r.Time,
        Node = _node,
        Agent = r.Caller?.AgentId,
        User = r.Caller?.User,
        SessionId = r.Caller?.SessionId,
        Status = r.Status,
        Bytes = r.ResponseBytes,
        LatencyMicros = (long)r.UpstreamLatency.TotalMicroseconds,
        Errors = r.Error is null ? [] : [r.Error],
    };

    /// <inheritdoc />
    public ValueTask<RecordResult> RecordShadowAsync(ShadowRecord r, CancellationToken cancellationToken) =>
        AppendAsync(new AuditEvent
        {
            Kind = AuditEvent.Kinds.ShadowDisagreement,
            DecisionId = r.DecisionId,
            Time = r.Time,
            Node = _node,
            Agent = r.Caller.AgentId,
            User = r.Caller.User,
            SessionId = r.Caller.SessionId,
            Chain = r.Caller.DelegationChain,
            Action = r.Action.ToString(),
            Resource = r.Resource.ToString(),
            Decision = r.ShadowAllowed ? "allow" : "deny",
            Policies = r.ShadowPolicies,
            Details = Details(
                ("front", r.Front),
                ("live", r.LiveAllowed ? "allow" : "deny"),
                ("live_policies", string.Join(",", r.LivePolicies)),
                ("shadow_version", r.ShadowVersion)),
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<RecordResult> RecordPolicyChangeAsync(PolicyChangeRecord r, CancellationToken cancellationToken) =>
        AppendAsync(new AuditEvent
        {
            Kind = r.Kind switch
            {
                "policy_refused" => AuditEvent.Kinds.PolicyRefused,
                "policy_promoted" => AuditEvent.Kinds.PolicyPromoted,
                _ => AuditEvent.Kinds.PolicyReload,
            },
            Time = r.Time,
            Node = _node,
            Policies = r.PolicyIds,
            Errors = r.Problems,
            Details = Details(("policy_version", r.Version)),
        }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> IsWritableAsync(CancellationToken cancellationToken)
    {
        if (_lastAppendFailed)
        {
            // After a failed append the log proves itself writable again with a record of that fact, so readiness (and
            // with it a load balancer's traffic) comes back by itself even when no request arrives to try.
            var probe = await _log.AppendAsync(new AuditEvent { Kind = AuditEvent.Kinds.AuditResumed, Time = DateTimeOffset.UtcNow, Node = _node }, cancellationToken);
            _lastAppendFailed = !probe.Ok;
            return probe.Ok;
        }

        try
        {
            await _log.GetHeadAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }

    private async ValueTask<RecordResult> AppendAsync(AuditEvent e, CancellationToken cancellationToken, AuditDurability durability = AuditDurability.ProcessCrash)
    {
        var receipt = await _log.AppendAsync(e, durability, cancellationToken);
        _lastAppendFailed = !receipt.Ok;
        return receipt.Ok
            ? RecordResult.Durable($"{receipt.Seq}:{receipt.Hash}")
            : RecordResult.Failed(receipt.Error!.ToString());
    }

    // sha256 over "METHOD canonical-path host" (the request line Mandate decided on); the body is not read.
    // Runs once per request: the digest string is the only allocation it makes.
    private static string Digest(RequestFacts request)
    {
        const string prefix = "sha256:";
        var utf8 = Encoding.UTF8;
        var max = utf8.GetMaxByteCount(request.Method.Length) + utf8.GetMaxByteCount(request.Path.Length) + utf8.GetMaxByteCount(request.Host.Length) + 2;
        // Pooled rather than stackalloc, which would zero the buffer first on every request.
        var rented = ArrayPool<byte>.Shared.Rent(max);
        var line = rented.AsSpan();
        var n = utf8.GetBytes(request.Method, line);
        line[n++] = (byte)' ';
        n += utf8.GetBytes(request.Path, line[n..]);
        line[n++] = (byte)' ';
        n += utf8.GetBytes(request.Host, line[n..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(line[..n], hash);
        ArrayPool<byte>.Shared.Return(rented);

        Span<char> text = stackalloc char[prefix.Length + 2 * SHA256.HashSizeInBytes];
        prefix.CopyTo(text);
        Convert.TryToHexStringLower(hash, text[prefix.Length..], out _);
        return new string(text);
    }

    private static Dictionary<string, string> Details(params ReadOnlySpan<(string Key, string? Value)> pairs)
    {
        var d = new Dictionary<string, string>(pairs.Length, StringComparer.Ordinal);
        foreach (var (k, v) in pairs)
        {
            if (!string.IsNullOrEmpty(v))
            {
                d[k] = v;
            }
        }

        return d;
    }
}
