using System.Text;
using Mandate.Server.Fronts.Mcp;

namespace Mandate.Server.Tests.Mcp;

public sealed class SseEventTests
{
    private static async Task<List<SseEvent>> ReadAsync(string wire)
    {
        var events = new List<SseEvent>();
        await foreach (var e in SseEventReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(wire)), 1 << 20, CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public async Task Read_MixedLineEndings_CommentsAndMultiLineData_AssembledAsSseDoes()
    {
        var events = await ReadAsync(": keep-alive\r\n\r\nevent: message\r\nid: 7\r\ndata: {\"a\":\ndata:1}\r\n\r\ndata: second\n\nretry: 10\n\n");
        Assert.Equal(4, events.Count);
        Assert.Null(events[0].Data);
        Assert.Equal("{\"a\":\n1}", events[1].Data);
        Assert.Equal("second", events[2].Data);
        Assert.Null(events[3].Data);
    }

    [Fact]
    public async Task Read_EventNotEnded_Discarded()
    {
        var events = await ReadAsync("data: complete\n\ndata: cut off");
        Assert.Equal(["complete"], events.Select(e => e.Data!).ToArray());
    }

    [Fact]
    public void WithData_KeepsOtherFields_OneDataLine()
    {
        var e = new SseEvent(["event: message", "data: {\"x\":", "data: 1}", "id: 3"]);
        Assert.Equal("event: message\ndata: {\"y\":2}\nid: 3\n\n", e.WithData("{\"y\":2}").ToWire());
    }

    [Fact]
    public async Task Read_OversizedEvent_Throws()
    {
        var wire = "data: " + new string('x', 2 << 20) + "\n\n";
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(wire));
    }
}
