using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;

namespace Mandate.Cedar.Tests.Entities;

public class EntityStoreTests
{
    private static EntityUid U(string id) => new("T", id);

    [Fact]
    public void IsDescendantOf_Chain_IsTransitive()
    {
        var store = new EntityStore([
            new Entity(U("a"), parents: [U("b")]),
            new Entity(U("b"), parents: [U("c")]),
            new Entity(U("c")),
        ]);
        Assert.True(store.IsDescendantOf(U("a"), U("c")));
        Assert.True(store.IsDescendantOf(U("a"), U("b")));
        Assert.False(store.IsDescendantOf(U("c"), U("a")));
        Assert.False(store.IsDescendantOf(U("a"), U("a")));
    }

    [Fact]
    public void IsDescendantOf_ParentNotInStore_StillAnAncestor()
    {
        var store = new EntityStore([new Entity(U("a"), parents: [U("ghost")])]);
        Assert.True(store.IsDescendantOf(U("a"), U("ghost")));
        Assert.False(store.IsDescendantOf(U("ghost"), U("a")));
    }

    [Fact]
    public void Constructor_Cycle_ClosureTerminates()
    {
        var store = new EntityStore([
            new Entity(U("a"), parents: [U("b")]),
            new Entity(U("b"), parents: [U("c")]),
            new Entity(U("c"), parents: [U("a")]),
        ]);
        Assert.True(store.IsDescendantOf(U("a"), U("c")));
        Assert.True(store.IsDescendantOf(U("c"), U("b")));
        Assert.True(store.IsDescendantOf(U("a"), U("a")));
    }

    [Fact]
    public void Constructor_LongChain_ComputesEveryAncestor()
    {
        const int n = 2000;
        var store = new EntityStore(Enumerable.Range(0, n).Select(i =>
            new Entity(U(i.ToString()), parents: i + 1 < n ? [U((i + 1).ToString())] : null)));
        Assert.True(store.IsDescendantOf(U("0"), U((n - 1).ToString())));
        Assert.Equal(n - 1, store.AncestorsOf(U("0")).Count);
    }

    [Fact]
    public void Constructor_DuplicateUid_Throws()
    {
        Assert.Throws<ArgumentException>(() => new EntityStore([new Entity(U("a")), new Entity(U("a"))]));
    }
}
