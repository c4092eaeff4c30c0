using Mandate.Cedar.Extensions;

namespace Mandate.Cedar.Tests.Extensions;

public class DecimalValueTests
{
    [Theory]
    [InlineData("1.0", 10000L, "1.0000")]
    [InlineData("-1.5", -15000L, "-1.5000")]
    [InlineData("-0.5", -5000L, "-0.5000")]
    [InlineData("0.0001", 1L, "0.0001")]
    [InlineData("922337203685477.5807", long.MaxValue, "922337203685477.5807")]
    [InlineData("-922337203685477.5808", long.MinValue, "-922337203685477.5808")]
    [InlineData("007.10", 71000L, "7.1000")]
    public void Parse_WellFormed_ScalesByTenThousand(string text, long raw, string printed)
    {
        var d = DecimalValue.Parse(text, out var error);
        Assert.Null(error);
        Assert.Equal(raw, d!.Raw);
        Assert.Equal(printed, d.ToArgumentString());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1.23456")]
    [InlineData("+1.0")]
    [InlineData("1.0e3")]
    [InlineData("--1.0")]
    [InlineData("922337203685477.5808")]
    [InlineData("-922337203685477.5809")]
    [InlineData("1,0")]
    [InlineData("")]
    public void Parse_Malformed_Fails(string text)
    {
        Assert.Null(DecimalValue.Parse(text, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Equals_SameQuantityDifferentSpelling_Equal() =>
        Assert.Equal(DecimalValue.Parse("1.1", out _), DecimalValue.Parse("1.1000", out _));
}
