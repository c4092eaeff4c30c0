using Mandate.Cedar.Ast;
using Mandate.Cedar.Extensions;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Values;

public class ValueTests
{
    [Fact]
    public void Bool_Factory_ReturnsSingletons()
    {
        Assert.Same(Value.True, Value.Bool(true));
        Assert.Same(Value.False, Value.Bool(false));
    }

    [Fact]
    public void Long_SmallValues_AreCached()
    {
        Assert.Same(Value.Long(7), Value.Long(7));
        Assert.Equal(Value.Long(1L << 40), Value.Long(1L << 40));
    }

    [Fact]
    public void Set_DuplicatesAndOrder_EqualAndDeduplicated()
    {
        var a = Value.Set(Value.Long(1), Value.Long(2), Value.Long(1));
        var b = Value.Set(Value.Long(2), Value.Long(1));
        Assert.Equal(2, a.Count);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Set_Large_MembershipIsStructural()
    {
        var big = Value.Set(Enumerable.Range(0, 1000).Select(i => (Value)Value.Record([new("i", Value.Long(i))])));
        Assert.Equal(1000, big.Count);
        Assert.True(big.Contains(Value.Record([new("i", Value.Long(999))])));
        Assert.False(big.Contains(Value.Record([new("i", Value.Long(1000))])));
        var shuffled = Value.Set(Enumerable.Range(0, 1000).Reverse().Select(i => (Value)Value.Record([new("i", Value.Long(i))])));
        Assert.Equal(big, shuffled);
    }

    [Fact]
    public void Record_FieldOrder_DoesNotMatter()
    {
        var a = Value.Record([new("x", Value.Long(1)), new("y", Value.String("s"))]);
        var b = Value.Record([new("y", Value.String("s")), new("x", Value.Long(1))]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Value.Record([new("x", Value.Long(1))]));
    }

    [Fact]
    public void Equals_DifferentKinds_NotEqual()
    {
        Assert.NotEqual<Value>(Value.Long(1), Value.String("1"));
        Assert.NotEqual<Value>(Value.Entity("A", "1"), Value.Entity("B", "1"));
        Assert.NotEqual<Value>(DecimalValue.FromRaw(10000), Value.Long(1));
    }

    [Fact]
    public void ToString_Values_PrintCedarSyntax()
    {
        Assert.Equal("\"a\\\"b\"", Value.String("a\"b").ToString());
        Assert.Equal("User::\"alice\"", Value.Entity(new EntityUid("User", "alice")).ToString());
        Assert.Equal("[1, \"x\"]", Value.Set(Value.Long(1), Value.String("x")).ToString());
        Assert.Equal("{\"a\": true, \"b\": -3}", Value.Record([new("b", Value.Long(-3)), new("a", Value.True)]).ToString());
        Assert.Equal("decimal(\"1.5000\")", DecimalValue.Parse("1.5", out _)!.ToString());
        Assert.Equal("duration(\"1h30m\")", DurationValue.Parse("90m", out _)!.ToString());
        Assert.Equal("datetime(\"2024-01-01T00:00:00.000Z\")", DatetimeValue.Parse("2024-01-01", out _)!.ToString());
    }
}
