using Mandate.Core.Mcp;

namespace Mandate.Core.Tests.Mcp;

/// <summary>Protocol versions: which are known, which allow batches.</summary>
public sealed class McpProtocolVersionsTests
{
    [Theory]
    [InlineData("2024-11-05", true, false)]
    [InlineData("2025-03-26", true, true)]
    [InlineData("2025-06-18", true, false)]
    [InlineData("2025-03-26 ", false, false)]
    [InlineData("2025-3-26", false, false)]
    [InlineData("", false, false)]
    [InlineData(null, false, false)]
    public void IsKnownAndAllowsBatch(string? version, bool known, bool batch)
    {
        Assert.Equal(known, McpProtocolVersions.IsKnown(version));
        Assert.Equal(batch, McpProtocolVersions.AllowsBatch(version));
    }

    [Fact]
    public void ClientMethodSets_DoNotOverlap() =>
        Assert.Empty(McpMethods.ClientRequests.Intersect(McpMethods.ClientNotifications));
}
