using Mandate.Cedar.Extensions;

namespace Mandate.Cedar.Tests.Extensions;

public class IpAddrValueTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0/0")]
    [InlineData("10.0.0.0/8")]
    [InlineData("255.255.255.255/32")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::1/128")]
    [InlineData("ff00::/8")]
    [InlineData("2001:db8::ff00:42:8329")]
    [InlineData("2001:0db8:0000:0000:0000:ff00:0042:8329")]
    [InlineData("fe80::")]
    public void Parse_WellFormed_Succeeds(string text)
    {
        Assert.NotNull(IpAddrValue.Parse(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.4/33")]
    [InlineData("1.2.3.4/08")]
    [InlineData("1.2.3.4/")]
    [InlineData("::ffff:1.2.3.4")]
    [InlineData("fe80::1%eth0")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1::2::3")]
    [InlineData("12345::")]
    [InlineData("::/129")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData(":1::")]
    [InlineData("1:")]
    public void Parse_Malformed_Fails(string text)
    {
        Assert.Null(IpAddrValue.Parse(text, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Equals_SameAddressDifferentPrefix_NotEqual()
    {
        Assert.NotEqual(Ip("10.0.0.1/24"), Ip("10.0.0.0/24"));
        Assert.NotEqual(Ip("10.0.0.1"), Ip("10.0.0.1/24"));
        Assert.Equal(Ip("10.0.0.1"), Ip("10.0.0.1/32"));
        Assert.Equal(Ip("::1"), Ip("0:0:0:0:0:0:0:1"));
    }

    [Theory]
    [InlineData("10.1.2.3", "10.0.0.0/8", true)]
    [InlineData("10.0.0.0/16", "10.0.0.0/8", true)]
    [InlineData("10.0.0.0/8", "10.0.0.0/16", false)]
    [InlineData("11.0.0.1", "10.0.0.0/8", false)]
    [InlineData("::1", "::/0", true)]
    [InlineData("10.0.0.1", "::/0", false)]
    public void IsInRange_Pairs_MatchContainment(string address, string range, bool expected) =>
        Assert.Equal(expected, Ip(address).IsInRange(Ip(range)));

    [Theory]
    [InlineData("127.0.0.1", true, false)]
    [InlineData("127.1.2.3/8", true, false)]
    [InlineData("127.0.0.1/7", false, false)]
    [InlineData("::1", true, false)]
    [InlineData("::1/127", false, false)]
    [InlineData("224.0.0.1", false, true)]
    [InlineData("239.0.0.0/4", false, true)]
    [InlineData("224.0.0.0/3", false, false)]
    [InlineData("ff02::1", false, true)]
    [InlineData("ff00::/7", false, false)]
    public void Classification_Addresses_LoopbackAndMulticast(string text, bool loopback, bool multicast)
    {
        var ip = Ip(text);
        Assert.Equal(loopback, ip.IsLoopback);
        Assert.Equal(multicast, ip.IsMulticast);
    }

    [Fact]
    public void ToString_Value_PrintsConstructorCall()
    {
        Assert.Equal("ip(\"10.0.0.1/32\")", Ip("10.0.0.1").ToString());
        Assert.Equal("ip(\"::1/128\")", Ip("::1").ToString());
    }

    [Theory]
    [InlineData("::", "::/128")]
    [InlineData("::ffff:102:304", "::ffff:102:304/128")]
    [InlineData("2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1/128")]
    [InlineData("1:0:0:0:0:0:0:0/64", "1::/64")]
    [InlineData("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8/128")]
    [InlineData("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7/128")]
    public void ToArgumentString_Ipv6_CanonicalAndReparsable(string text, string printed)
    {
        var ip = Ip(text);
        Assert.Equal(printed, ip.ToArgumentString());
        Assert.Equal(ip, Ip(printed));
    }

    private static IpAddrValue Ip(string text) => IpAddrValue.Parse(text, out _) ?? throw new ArgumentException(text);
}
