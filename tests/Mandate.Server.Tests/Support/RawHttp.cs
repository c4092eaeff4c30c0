using System.Net.Sockets;
using System.Text;

namespace Mandate.Server.Tests.Support;

/// <summary>Sends bytes exactly as given over a TCP socket, for requests an HttpClient would normalise or refuse.</summary>
public static class RawHttp
{
    /// <summary>The parsed answer.</summary>
    /// <param name="Status">Status code from the status line.</param>
    /// <param name="Head">Status line and headers.</param>
    /// <param name="Body">Body text.</param>
    public sealed record Answer(int Status, string Head, string Body)
    {
        /// <summary>The client's own port on the connection (to find a record by its connection).</summary>
        public int LocalPort { get; init; }
    }

    /// <summary>Sends <c>METHOD target HTTP/1.1</c> with the given header lines and <c>Connection: close</c>; reads the whole answer.</summary>
    public static async Task<Answer> SendAsync(Uri server, string method, string target, params string[] headerLines)
    {
        var request = new StringBuilder();
        request.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        request.Append("Host: ").Append(server.Authority).Append("\r\n");
        foreach (var line in headerLines)
        {
            request.Append(line).Append("\r\n");
        }

        request.Append("Connection: close\r\n\r\n");
        return await SendBytesAsync(server, Encoding.Latin1.GetBytes(request.ToString()));
    }

    /// <summary>As <see cref="SendAsync"/>, with a body (its <c>Content-Length</c> is added).</summary>
    public static async Task<Answer> SendWithBodyAsync(Uri server, string method, string target, string body, params string[] headerLines)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new StringBuilder();
        request.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        request.Append("Host: ").Append(server.Authority).Append("\r\n");
        foreach (var line in headerLines)
        {
            request.Append(line).Append("\r\n");
        }

        request.Append("Content-Length: ").Append(bytes.Length).Append("\r\nConnection: close\r\n\r\n");
        return await SendBytesAsync(server, [.. Encoding.Latin1.GetBytes(request.ToString()), .. bytes]);
    }

    /// <summary>Sends raw bytes and reads until the server closes.</summary>
    public static async Task<Answer> SendBytesAsync(Uri server, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var localPort = ((System.Net.IPEndPoint)client.Client.LocalEndPoint!).Port;
        await using var stream = client.GetStream();
        using var buffer = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await stream.WriteAsync(bytes, timeout.Token);
            await stream.CopyToAsync(buffer, timeout.Token);
        }
        catch (IOException)
        {
            // A server that refuses a request early may reset the connection while bytes are still unread on its side:
            // the answer it wrote before is what was received.
        }
        var text = Encoding.Latin1.GetString(buffer.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 4)..];
        var statusLine = head.Split("\r\n")[0].Split(' ');
        return new Answer(statusLine.Length > 1 && int.TryParse(statusLine[1], out var s) ? s : 0, head, body) { LocalPort = localPort };
    }
}
