namespace Mandate.Demo;

/// <summary>The sample agents; their groups and attributes are in <c>demo/entities.json</c>.</summary>
public static class DemoAgents
{
    /// <summary>A support agent acting for the user <c>alice</c> (delegated token with an <c>act</c> claim).</summary>
    public static DemoAgent SupportBot { get; } = new(
        "support-bot", "alice", ["tickets:read", "tickets:write", "documents:read"],
        "support agent acting for user alice");

    /// <summary>A finance agent acting for itself, allowed to pay.</summary>
    public static DemoAgent FinanceAgent { get; } = new(
        "finance-agent", null, ["payments:read", "payments:write", "reports:read", "documents:read"],
        "finance agent acting for itself");

    /// <summary>A read-only intern agent with few scopes.</summary>
    public static DemoAgent InternBot { get; } = new(
        "intern-bot", null, ["tickets:read"],
        "read-only intern agent");

    /// <summary>Every sample agent.</summary>
    public static IReadOnlyList<DemoAgent> All { get; } = [SupportBot, FinanceAgent, InternBot];

    /// <summary>The agent with this id, or null.</summary>
    public static DemoAgent? Find(string id) => All.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.Ordinal));
}
