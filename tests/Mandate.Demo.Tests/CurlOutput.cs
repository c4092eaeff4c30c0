using System.Net;
using System.Text;

namespace Mandate.Demo.Tests;

/// <summary>What <c>curl -i</c> printed, read back as an HTTP answer: the status line, the headers, the body.</summary>
internal static class CurlOutput
{
    public static (HttpStatusCode Status, HttpResponseMessage Response, string Body) Parse(string text)
    {
        var rest = text;
        string head;
        while (true)
        {
            var end = rest.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Assert.True(rest.StartsWith("HTTP/", StringComparison.Ordinal) && end > 0, $"not the output of curl -i: {text}");
            head = rest[..end];
            rest = rest[(end + 4)..];
            // An interim answer (100 Continue) comes before the real one.
            if (!head.Split(' ', 3)[1].StartsWith('1'))
            {
                break;
            }
        }

        var lines = head.Split("\r\n");
        var status = (HttpStatusCode)int.Parse(lines[0].Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(rest)) };
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon], line[(colon + 1)..].Trim());
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                Assert.True(response.Content.Headers.TryAddWithoutValidation(name, value), $"header `{name}`");
            }
        }

        return (status, response, rest);
    }
}
