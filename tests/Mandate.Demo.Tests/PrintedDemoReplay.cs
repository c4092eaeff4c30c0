namespace Mandate.Demo.Tests;

/// <summary>
/// A demo printout replayed as a user pasting it would: the export lines, then every printed line once, in print
/// order — curl commands over real HTTP, <c>NAME=$(…)</c> lines (the token exchange, the step-up call that keeps the
/// approval id) and the <c>mandate approvals</c> command with bash, each later line seeing the variables the earlier
/// ones set. Each test then judges one answer, so a line that answers wrongly fails its own test and no other.
/// </summary>
internal sealed class PrintedDemoReplay
{
    private readonly Dictionary<string, PrintedAnswer> _answers;
    private readonly Dictionary<string, PrintedRun> _runs;

    private PrintedDemoReplay(string printout, IReadOnlyDictionary<string, string> variables, IReadOnlyList<PrintedCall> calls, IReadOnlyList<string> mandateCommands,
        Dictionary<string, PrintedAnswer> answers, Dictionary<string, PrintedRun> runs)
    {
        Printout = printout;
        Variables = variables;
        Calls = calls;
        MandateCommands = mandateCommands;
        _answers = answers;
        _runs = runs;
    }

    public string Printout { get; }

    /// <summary>The variables after the last line: the exports and what the <c>NAME=$(…)</c> lines set.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>Every printed HTTP call in print order (the ones inside a <c>NAME=$(…)</c> line too).</summary>
    public IReadOnlyList<PrintedCall> Calls { get; }

    /// <summary>The printed <c>audit</c> commands, not run by the replay.</summary>
    public IReadOnlyList<string> MandateCommands { get; }

    public IEnumerable<PrintedAnswer> Answers => _answers.Values;

    public static async Task<PrintedDemoReplay> RunAsync(string printout)
    {
        var (exports, steps, commands) = PrintedDemo.Parse(printout);
        var variables = new Dictionary<string, string>(exports, StringComparer.Ordinal);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        var calls = new List<PrintedCall>();
        var answers = new Dictionary<string, PrintedAnswer>(StringComparer.Ordinal);
        var runs = new Dictionary<string, PrintedRun>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (step.IsCurl)
            {
                var call = PrintedDemo.Call(step, variables);
                var (status, response, body) = await PrintedCallRunner.SendAsync(http, call);
                Add(answers, calls, new PrintedAnswer(call, status, response, body));
            }
            else if (step.Variable is { } name)
            {
                // Parsed before the line runs, so that its curl sees the variables as they were before it.
                var call = step.Answer is null ? null : PrintedDemo.Call(step, variables);
                var (value, shown) = PrintedShell.Assign(step.Line, variables);
                variables[name] = value;
                if (call is not null)
                {
                    var (status, response, body) = CurlOutput.Parse(shown);
                    Add(answers, calls, new PrintedAnswer(call, status, response, body));
                }
            }
            else
            {
                Assert.True(runs.TryAdd(step.Title!, PrintedShell.Run(step, variables)), $"two printed commands are titled `{step.Title}`");
            }
        }

        return new PrintedDemoReplay(printout, variables, calls, commands, answers, runs);
    }

    private static void Add(Dictionary<string, PrintedAnswer> answers, List<PrintedCall> calls, PrintedAnswer answer)
    {
        Assert.True(answers.TryAdd(answer.Call.Title, answer), $"two printed calls are titled `{answer.Call.Title}`");
        calls.Add(answer.Call);
    }

    /// <summary>The answer to the printed call titled <paramref name="title"/>.</summary>
    public PrintedAnswer For(string title)
    {
        Assert.True(_answers.TryGetValue(title, out var answer), $"no printed call is titled `{title}`");
        return answer!;
    }

    /// <summary>What the printed command titled <paramref name="title"/> (run with bash) did.</summary>
    public PrintedRun RunOf(string title)
    {
        Assert.True(_runs.TryGetValue(title, out var run), $"no printed command is titled `{title}`");
        return run!;
    }
}
