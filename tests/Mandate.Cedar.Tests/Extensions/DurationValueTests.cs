using Mandate.Cedar.Extensions;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Extensions;

public class DurationValueTests
{
    [Theory]
    [InlineData("1d2h3m4s5ms", 93_784_005L)]
    [InlineData("-1d", -86_400_000L)]
    [InlineData("90m", 5_400_000L)]
    [InlineData("0ms", 0L)]
    [InlineData("1h1ms", 3_600_001L)]
    [InlineData("9223372036854775807ms", long.MaxValue)]
    [InlineData("-9223372036854775807ms", -long.MaxValue)]
    public void Parse_WellFormed_Milliseconds(string text, long ms)
    {
        var d = DurationValue.Parse(text, out var error);
        Assert.Null(error);
        Assert.Equal(ms, d!.Milliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1")]
    [InlineData("1h1d")]
    [InlineData("1d1d")]
    [InlineData("1ms1s")]
    [InlineData("1x")]
    [InlineData("d")]
    [InlineData("1.5h")]
    [InlineData("+1h")]
    [InlineData("1 h")]
    [InlineData("9223372036854775808ms")]
    [InlineData("-9223372036854775808ms")]
    [InlineData("106751991167301d")]
    public void Parse_Malformed_Fails(string text)
    {
        Assert.Null(DurationValue.Parse(text, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("toMilliseconds", 93_784_005L)]
    [InlineData("toSeconds", 93_784L)]
    [InlineData("toMinutes", 1_563L)]
    [InlineData("toHours", 26L)]
    [InlineData("toDays", 1L)]
    public void Conversions_Duration_TruncateTowardZero(string method, long expected)
    {
        Value d = DurationValue.Parse("1d2h3m4s5ms", out _)!;
        Assert.Equal(Value.Long(expected), ExtensionFunctions.Call(method, [d], out _));
        Value neg = DurationValue.Parse("-1d2h3m4s5ms", out _)!;
        Assert.Equal(Value.Long(-expected), ExtensionFunctions.Call(method, [neg], out _));
    }

    [Fact]
    public void ToArgumentString_Durations_ReparseToSameValue()
    {
        foreach (var ms in new[] { 0L, 1L, -1L, 93_784_005L, long.MaxValue, -long.MaxValue })
        {
            var d = DurationValue.FromMilliseconds(ms);
            Assert.Equal(d, DurationValue.Parse(d.ToArgumentString(), out _));
        }
    }
}
