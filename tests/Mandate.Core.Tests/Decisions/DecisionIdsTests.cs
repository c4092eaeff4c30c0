using Mandate.Core.Decisions;

namespace Mandate.Core.Tests.Decisions;

public sealed class DecisionIdsTests
{
    [Fact]
    public void New_IsAVersion7UuidAsLowercaseHex()
    {
        var id = DecisionIds.New();

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal('7', id[12]);
        Assert.Contains(id[16], "89ab");
        Assert.True(Guid.TryParseExact(id, "N", out var guid));
        Assert.Equal(7, guid.Version);
    }

    [Fact]
    public void New_CarriesItsMillisecondAndSortsByTime()
    {
        var earlier = new DateTimeOffset(2026, 11, 29, 6, 0, 0, 1, TimeSpan.Zero);
        var a = DecisionIds.New(earlier);
        var b = DecisionIds.New(earlier.AddMilliseconds(1));

        Assert.Equal(earlier.ToUnixTimeMilliseconds(), Convert.ToInt64(a[..12], 16));
        Assert.True(string.CompareOrdinal(a, b) < 0);
    }

    [Fact]
    public async Task New_ManyOnSeveralThreadsInTheSameMillisecond_AreAllDistinct()
    {
        var now = DateTimeOffset.UtcNow;
        var lists = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Enumerable.Range(0, 5000).Select(_ => DecisionIds.New(now)).ToList())));

        var all = lists.SelectMany(l => l).ToList();

        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
    }
}
