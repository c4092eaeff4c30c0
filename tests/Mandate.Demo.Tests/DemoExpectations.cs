using System.Net;

namespace Mandate.Demo.Tests;

/// <summary>What each printed call's answer must look like, beyond its status.</summary>
internal static class DemoExpectations
{
    public static void AssertAnswer(PrintedCall call, HttpStatusCode status, HttpResponseMessage response, string body)
    {
        Assert.True((int)status == call.ExpectedStatus, $"`{call.Title}`: expected {call.ExpectedStatus}, got {(int)status}: {body}");
        var script = DemoScript.Calls.Single(c => c.Title == call.Title);
        switch (call.ExpectedStatus)
        {
            case 403:
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains($"\"{script.ExpectedPolicy}\"", body, StringComparison.Ordinal);
                Assert.Contains("\"reasons\"", body, StringComparison.Ordinal);
                Assert.Contains("\"decisionId\"", body, StringComparison.Ordinal);
                break;
            case 401:
                Assert.NotEmpty(response.Headers.WwwAuthenticate);
                break;
            case 400:
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("\"code\":\"path.", body, StringComparison.Ordinal);
                break;
        }

        if (script.ExpectedText is { } text)
        {
            Assert.Contains(text, body, StringComparison.Ordinal);
        }

        // An MCP answer is a JSON-RPC response (a JSON body or SSE events): a result, or an error naming its rule.
        if (script.Target.StartsWith(DemoScript.HelpdeskPath, StringComparison.Ordinal))
        {
            if (script.ExpectedRule is { } rule)
            {
                Assert.Contains("\"error\":{", body, StringComparison.Ordinal);
                Assert.Contains($"\"rule\":\"{rule}\"", body, StringComparison.Ordinal);
                Assert.DoesNotContain("\"result\":", body, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains("\"result\":{", body, StringComparison.Ordinal);
                Assert.DoesNotContain("\"isError\":true", body, StringComparison.Ordinal);
            }
        }
    }
}
