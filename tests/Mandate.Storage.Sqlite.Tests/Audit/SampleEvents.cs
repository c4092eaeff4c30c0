using Mandate.Core.Audit;

namespace Mandate.Storage.Sqlite.Tests.Audit;

internal static class SampleEvents
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static AuditEvent Decision(int i, string agent = "agent-1", string decision = "allow", string? session = null) => new()
    {
        Kind = AuditEvent.Kinds.Decision,
        DecisionId = $"01JDEC{i:D8}",
        Time = Start.AddSeconds(i),
        Node = "node-a",
        TraceId = $"{i:x32}",
        SessionId = session ?? $"sess-{i % 3}",
        Agent = agent,
        User = "alice",
        Chain = [agent],
        Action = "Mandate::Action::\"read\"",
        Resource = "Mandate::Endpoint::\"GET /orders\"",
        RequestDigest = $"sha256:{i:x64}",
        Decision = decision,
        Policies = ["allow-read"],
        Reasons = decision == "deny" ? ["reads only"] : [],
        Details = new Dictionary<string, string> { ["risk"] = "0.1", ["approval"] = "none" },
    };
}
