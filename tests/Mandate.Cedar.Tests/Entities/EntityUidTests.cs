using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Tests.Entities;

public class EntityUidTests
{
    [Fact]
    public void Equals_SameComponents_EqualWithEqualHashes()
    {
        var a = new EntityUid("User", "alice");
        var b = new EntityUid("User", "alice");
        _ = a.GetHashCode(); // one side has its hash cached, the other not yet
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new EntityUid("User", "bob"));
        Assert.NotEqual(a, new EntityUid("Group", "alice"));
    }

    [Fact]
    public void With_ChangedId_DoesNotKeepTheCachedHash()
    {
        var a = new EntityUid("User", "alice");
        _ = a.GetHashCode();
        var b = a with { Id = "bob" };
        Assert.Equal(new EntityUid("User", "bob"), b);
        Assert.Equal(new EntityUid("User", "bob").GetHashCode(), b.GetHashCode());
        var set = new HashSet<EntityUid> { b };
        Assert.Contains(new EntityUid("User", "bob"), set);
    }
}
