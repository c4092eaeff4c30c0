using Mandate.Core.Errors;

namespace Mandate.Demo.Tests;

/// <summary>What each printed call's answer must look like, beyond its status.</summary>
internal static class DemoExpectations
{
    /// <summary>
    /// Judges one printed call's answer against its script entry; <paramref name="variables"/> are the replay's, so a
    /// captured value (the approval id) can be checked against the answer it came from.
    /// </summary>
    public static void AssertAnswer(PrintedAnswer answer, IReadOnlyDictionary<string, string> variables)
    {
        var (call, status, response, body) = (answer.Call, answer.Status, answer.Response, answer.Body);
        Assert.True((int)status == call.ExpectedStatus, $"`{call.Title}`: expected {call.ExpectedStatus}, got {(int)status}: {body}");
        var script = DemoScript.Calls.Single(c => c.Title == call.Title);
        switch (call.ExpectedStatus)
        {
            case 403:
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains($"\"code\":\"{script.ExpectedCode ?? ErrorCatalogue.PolicyDeny.Code}\"", body, StringComparison.Ordinal);
                if (script.ExpectedPolicy is { } policy)
                {
                    Assert.Contains($"\"{policy}\"", body, StringComparison.Ordinal);
                    Assert.Contains("\"reasons\"", body, StringComparison.Ordinal);
                }

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

        // The step-up answer: the approval id the line kept, where the agent reads its status, the link a person opens.
        if (script.Capture is { } capture)
        {
            Assert.True(variables.TryGetValue(capture.Variable, out var kept) && kept.Length > 0, $"`{capture.Variable}` was not set");
            Assert.Contains($"\"{capture.Member}\":\"{kept}\"", body, StringComparison.Ordinal);
            Assert.Contains("\"statusUrl\":\"", body, StringComparison.Ordinal);
            Assert.Contains("\"link\":\"", body, StringComparison.Ordinal);
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

    /// <summary>
    /// The printed approval, run with bash: the CLI exits 0 and prints the approval kept in the step-up line's variable,
    /// approved by the demo's approver with the printed comment.
    /// </summary>
    public static void AssertApproved(PrintedRun run, IReadOnlyDictionary<string, string> variables)
    {
        var approval = DemoScript.Approval;
        Assert.Equal(DemoScript.ApprovedAnswer, run.Step.Answer);
        Assert.True(run.ExitCode == 0, $"`{run.Step.Line}` exited {run.ExitCode}: {run.Error}{run.Output}");
        Assert.Contains($"\"id\": \"{variables[approval.Variable]}\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"approved\"", run.Output, StringComparison.Ordinal);
        Assert.Contains($"\"decided_by\": \"{approval.Approver}\"", run.Output, StringComparison.Ordinal);
        Assert.Contains($"\"comment\": \"{approval.Comment}\"", run.Output, StringComparison.Ordinal);
    }
}
