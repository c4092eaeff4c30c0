using Mandate.Cedar.Extensions;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Extensions;

public class DatetimeValueTests
{
    [Theory]
    [InlineData("1970-01-01", 0L)]
    [InlineData("1970-01-02", 86_400_000L)]
    [InlineData("1969-12-31", -86_400_000L)]
    [InlineData("2024-02-29T12:30:15Z", 1_709_209_815_000L)]
    [InlineData("2024-02-29T12:30:15.123Z", 1_709_209_815_123L)]
    [InlineData("1970-01-01T01:00:00+0100", 0L)]
    [InlineData("1970-01-01T00:00:00-0130", 5_400_000L)]
    [InlineData("1970-01-01T00:00:00.001+0000", 1L)]
    [InlineData("0000-01-01", -62_167_219_200_000L)]
    public void Parse_WellFormed_MillisecondsSinceEpoch(string text, long ms)
    {
        var d = DatetimeValue.Parse(text, out var error);
        Assert.Null(error);
        Assert.Equal(ms, d!.EpochMilliseconds);
    }

    [Theory]
    [InlineData("2023-02-29")]
    [InlineData("2024-13-01")]
    [InlineData("2024-00-10")]
    [InlineData("2024-1-01")]
    [InlineData("24-01-01")]
    [InlineData("2024-01-01T")]
    [InlineData("2024-01-01T10:00:00")]
    [InlineData("2024-01-01T24:00:00Z")]
    [InlineData("2024-01-01T10:60:00Z")]
    [InlineData("2024-01-01T10:00:60Z")]
    [InlineData("2024-01-01T10:00:00.1Z")]
    [InlineData("2024-01-01T10:00:00+01")]
    [InlineData("2024-01-01T10:00:00+01:00")]
    [InlineData("2024-01-01T10:00:00Zjunk")]
    [InlineData("2024-01-01 10:00:00Z")]
    [InlineData("")]
    public void Parse_Malformed_Fails(string text)
    {
        Assert.Null(DatetimeValue.Parse(text, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData(-1L, -86_400_000L, 86_399_999L)]
    [InlineData(86_400_001L, 86_400_000L, 1L)]
    [InlineData(0L, 0L, 0L)]
    public void ToDateAndToTime_Instants_FloorToDay(long ms, long date, long time)
    {
        Value dt = DatetimeValue.FromEpochMilliseconds(ms);
        var d = (DatetimeValue)ExtensionFunctions.Call("toDate", [dt], out _)!;
        var t = (DurationValue)ExtensionFunctions.Call("toTime", [dt], out _)!;
        Assert.Equal(date, d.EpochMilliseconds);
        Assert.Equal(time, t.Milliseconds);
    }

    [Fact]
    public void ToDate_MinimumInstant_ReportsOverflow()
    {
        var result = ExtensionFunctions.Call("toDate", [DatetimeValue.FromEpochMilliseconds(long.MinValue)], out var error);
        Assert.Null(result);
        Assert.Contains("overflow", error);
    }
}
