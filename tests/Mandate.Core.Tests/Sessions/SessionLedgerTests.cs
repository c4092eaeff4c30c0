using Mandate.Core.Sessions;
using Xunit;

namespace Mandate.Core.Tests.Sessions;

public sealed class SessionLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private static SessionCall Call(string sid, string tool, bool write = false, params string[] labels) =>
        new("agent-a", sid, "root-1", tool, labels, write);

    [Fact]
    public async Task A_call_decides_on_the_state_before_it_and_a_released_call_changes_nothing()
    {
        var ledger = await SessionLedger.OpenAsync(new InMemorySessionStore(), Start, TimeSpan.FromDays(1));

        var first = ledger.Reserve(Call("s1", "crm.read", write: false, "pii"), Start);
        Assert.Equal(0, first.Before.Calls);
        Assert.True(await ledger.CommitAsync(first, Start));

        var denied = ledger.Reserve(Call("s1", "payments.write", write: true), Start);
        Assert.Equal(1, denied.Before.Calls);
        Assert.Equal(["pii"], denied.Before.LabelsSeen);
        ledger.Release(denied);

        var after = ledger.Peek(Call("s1", "x"), Start);
        Assert.Equal(1, after.Calls);
        Assert.Equal(0, after.Writes);
        Assert.Equal(["crm.read"], after.ToolsUsed);
    }

    [Fact]
    public async Task Sessions_and_trees_idle_past_the_keep_window_leave_memory_and_the_store_keeps_them()
    {
        var store = new InMemorySessionStore();
        var keep = TimeSpan.FromHours(1);
        var ledger = await SessionLedger.OpenAsync(store, Start, keep);
        Assert.True(await ledger.CommitAsync(ledger.Reserve(Call("old", "crm.read", false, "pii"), Start), Start));

        // Pruning runs every 4096 reservations; spend them on another tree, past the window.
        var later = Start + keep + TimeSpan.FromMinutes(1);
        for (var i = 0; i < 4096; i++)
        {
            ledger.Release(ledger.Reserve(new SessionCall("agent-b", "busy", "root-2", "t", [], false), later));
        }

        var view = ledger.Peek(Call("old", "x"), later);
        Assert.Equal(0, view.Calls);
        Assert.Empty(view.LabelsSeen);

        // A restart inside the window would still load it: nothing was deleted from the store.
        var reopened = await SessionLedger.OpenAsync(store, Start, keep);
        var restored = reopened.Peek(Call("old", "x"), Start);
        Assert.Equal(1, restored.Calls);
        Assert.Equal(["pii"], restored.LabelsSeen);
    }
}
