using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Entities;

public class EntityStoreOverlayTests
{
    private static EntityUid U(int i) => new("T", i.ToString());

    [Fact]
    public void With_NewLeaf_AddsItWithoutChangingTheBase()
    {
        var store = new EntityStore([new Entity(U(1), parents: [U(2)]), new Entity(U(2))]);
        var derived = store.With(new Entity(U(0), Value.Record([new("a", Value.Long(1))]), [U(1)]));
        Assert.True(derived.IsDescendantOf(U(0), U(2)));
        Assert.True(derived.TryGet(U(0), out var e));
        Assert.Equal(Value.Long(1), e.Attributes.Fields["a"]);
        Assert.Equal(3, derived.Count);
        Assert.Equal(3, derived.All.Count());
        Assert.False(store.Contains(U(0)));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void With_ReplacedParent_DescendantsSeeTheNewAncestors()
    {
        var store = new EntityStore([
            new Entity(U(0), parents: [U(1)]),
            new Entity(U(1), parents: [U(2)]),
            new Entity(U(2)),
            new Entity(U(3)),
        ]);
        var derived = store.With(new Entity(U(1), parents: [U(3)]));
        Assert.True(derived.IsDescendantOf(U(0), U(3)));
        Assert.False(derived.IsDescendantOf(U(0), U(2)));
        Assert.True(store.IsDescendantOf(U(0), U(2)));
        Assert.Equal(4, derived.Count);
    }

    [Fact]
    public void With_RandomGraphs_AgreesWithRebuildingTheStore()
    {
        var random = new Random(11);
        for (var round = 0; round < 200; round++)
        {
            const int n = 12;
            Entity Random(int i) => new(U(i), parents: Enumerable.Range(0, random.Next(3)).Select(_ => U(random.Next(n + 2))));
            var baseEntities = Enumerable.Range(0, n).Select(Random).ToList();
            var store = new EntityStore(baseEntities);
            var changes = Enumerable.Range(0, n + 2).OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(Random).ToList();
            var derived = store.With(changes);
            var rebuilt = new EntityStore(baseEntities.Where(e => changes.All(c => c.Uid != e.Uid)).Concat(changes));
            Assert.Equal(rebuilt.Count, derived.Count);
            for (var a = 0; a < n + 2; a++)
            {
                Assert.Equal(rebuilt.Contains(U(a)), derived.Contains(U(a)));
                for (var b = 0; b < n + 2; b++)
                {
                    Assert.Equal(rebuilt.IsDescendantOf(U(a), U(b)), derived.IsDescendantOf(U(a), U(b)));
                }
            }
            var again = derived.With(Random(0));
            Assert.Equal(derived.Count, again.Count);
        }
    }
}
