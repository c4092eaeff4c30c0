namespace Mandate.Demo.Tests;

/// <summary>
/// A demo printout replayed as a user pasting it would: the export lines, the task-token line run with bash, then
/// every curl command once, in print order, over real HTTP. Each test then judges one answer, so a call that
/// answers wrongly fails its own test and no other.
/// </summary>
internal sealed class PrintedDemoReplay
{
    private readonly Dictionary<string, PrintedAnswer> _answers;

    private PrintedDemoReplay(string printout, IReadOnlyDictionary<string, string> variables, IReadOnlyList<PrintedCall> calls, IReadOnlyList<string> mandateCommands, Dictionary<string, PrintedAnswer> answers)
    {
        Printout = printout;
        Variables = variables;
        Calls = calls;
        MandateCommands = mandateCommands;
        _answers = answers;
    }

    public string Printout { get; }

    public IReadOnlyDictionary<string, string> Variables { get; }

    public IReadOnlyList<PrintedCall> Calls { get; }

    public IReadOnlyList<string> MandateCommands { get; }

    public IEnumerable<PrintedAnswer> Answers => _answers.Values;

    public static async Task<PrintedDemoReplay> RunAsync(string printout)
    {
        var (variables, calls, commands) = PrintedDemo.Parse(printout, PrintedShell.Assign);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        var answers = new Dictionary<string, PrintedAnswer>(StringComparer.Ordinal);
        foreach (var call in calls)
        {
            var (status, response, body) = await PrintedCallRunner.SendAsync(http, call);
            Assert.True(answers.TryAdd(call.Title, new PrintedAnswer(call, status, response, body)), $"two printed calls are titled `{call.Title}`");
        }

        return new PrintedDemoReplay(printout, variables, calls, commands, answers);
    }

    /// <summary>The answer to the printed call titled <paramref name="title"/>.</summary>
    public PrintedAnswer For(string title)
    {
        Assert.True(_answers.TryGetValue(title, out var answer), $"no printed call is titled `{title}`");
        return answer!;
    }
}
