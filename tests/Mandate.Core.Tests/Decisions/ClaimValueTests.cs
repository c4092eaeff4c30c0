using System.Text.Json;
using Mandate.Core.Decisions;

namespace Mandate.Core.Tests.Decisions;

/// <summary>Which token claims are carried into <c>context.claims</c>, and as what.</summary>
public sealed class ClaimValueTests
{
    [Fact]
    public void Select_CarriedShapes_AreTypedAndOthersLeftOut()
    {
        using var payload = JsonDocument.Parse("""
            {"dept":"finance","level":3,"admin":false,"groups":["a","b"],"ratio":1.5,"profile":{"x":1},"mixed":["a",1],"nothing":null,"big":123456789012}
            """);

        var claims = ClaimValue.Select(payload.RootElement, ["dept", "level", "admin", "groups", "ratio", "profile", "mixed", "nothing", "absent", "big"]);

        Assert.Equal(new ClaimValue.Text("finance"), claims["dept"]);
        Assert.Equal(new ClaimValue.Number(3), claims["level"]);
        Assert.Equal(new ClaimValue.Flag(false), claims["admin"]);
        Assert.Equal(["a", "b"], Assert.IsType<ClaimValue.TextSet>(claims["groups"]).Values);
        Assert.Equal(new ClaimValue.Number(123456789012), claims["big"]);
        Assert.Equal(["admin", "big", "dept", "groups", "level"], claims.Keys.Order(StringComparer.Ordinal));
    }
}
