using System.Text;

namespace Mandate.Demo.Tests;

/// <summary>
/// Reads the demo's printout the way a shell would: <c>export NAME='…'</c> lines set variables; each
/// <c># expect ANSWER · title</c> comment is followed by one curl command, one <c>NAME=$(curl …)</c> line or one
/// <c>mandate approvals</c> command; a <c># task token · title</c> comment by one <c>NAME=$(…)</c> line. Those lines are
/// returned in print order, to be run in that order (<see cref="PrintedDemoReplay"/>): a later line may use a variable
/// an earlier one set. Only the shell and curl syntax the demo prints is understood; anything else fails the test loudly.
/// </summary>
internal static class PrintedDemo
{
    public static (IReadOnlyDictionary<string, string> Exports, IReadOnlyList<PrintedStep> Steps, IReadOnlyList<string> MandateCommands) Parse(string text)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var steps = new List<PrintedStep>();
        var commands = new List<string>();
        (string Answer, string Title)? expectation = null;
        var assignmentAnnounced = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                var words = ShellWords(line, variables);
                var eq = words[1].IndexOf('=', StringComparison.Ordinal);
                variables[words[1][..eq]] = words[1][(eq + 1)..];
            }
            else if (line.StartsWith(DemoScript.ExpectPrefix, StringComparison.Ordinal))
            {
                Assert.Null(expectation);
                var rest = line[DemoScript.ExpectPrefix.Length..];
                var separator = rest.IndexOf(" · ", StringComparison.Ordinal);
                Assert.True(separator > 0, $"no ` · ` in: {line}");
                expectation = (rest[..separator], rest[(separator + 3)..]);
            }
            else if (line.StartsWith(DemoScript.ExchangePrefix, StringComparison.Ordinal))
            {
                assignmentAnnounced = true;
            }
            else if (AssignmentName(line) is { } name)
            {
                Assert.True(assignmentAnnounced || expectation is not null, $"`{name}=` is printed without its comment line");
                steps.Add(new PrintedStep(line, expectation?.Answer, expectation?.Title, name));
                (expectation, assignmentAnnounced) = (null, false);
            }
            else if (line.StartsWith("curl ", StringComparison.Ordinal) || (line.Contains(" approvals ", StringComparison.Ordinal) && !line.StartsWith('#')))
            {
                Assert.True(expectation is not null, $"printed without its `# expect` line: {line}");
                steps.Add(new PrintedStep(line, expectation!.Value.Answer, expectation.Value.Title, null));
                expectation = null;
            }
            else if (line.Contains(" audit ", StringComparison.Ordinal) && !line.StartsWith('#'))
            {
                commands.Add(line);
            }
        }

        Assert.True(expectation is null, $"`# expect {expectation?.Answer} · {expectation?.Title}` is followed by no command");
        return (variables, steps, commands);
    }

    // `NAME=$(…)`: a variable set from a command's output.
    private static string? AssignmentName(string line)
    {
        var eq = line.IndexOf("=$(", StringComparison.Ordinal);
        return eq > 0 && line.EndsWith(')') && line[..eq].All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_') ? line[..eq] : null;
    }

    /// <summary>
    /// The curl command of a step, with the variables set so far: the line itself, or for a <c>NAME=$(curl … | …)</c>
    /// line the curl inside it (whose answer the line shows on the terminal).
    /// </summary>
    public static PrintedCall Call(PrintedStep step, IReadOnlyDictionary<string, string> variables)
    {
        var line = step.Line;
        if (step.Variable is not null)
        {
            var open = line.IndexOf("=$(", StringComparison.Ordinal) + 3;
            var pipe = line.IndexOf(" | ", open, StringComparison.Ordinal);
            Assert.True(pipe > open, $"no pipe after the curl in: {line}");
            line = line[open..pipe];
        }

        Assert.StartsWith("curl ", line, StringComparison.Ordinal);
        var status = int.Parse(step.Answer!, System.Globalization.CultureInfo.InvariantCulture);
        return ParseCurl(ShellWords(line, variables), status, step.Title!);
    }

    private static PrintedCall ParseCurl(List<string> words, int status, string title)
    {
        var method = "GET";
        string? body = null;
        string? url = null;
        var headers = new List<(string, string)>();
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "-sS" or "-i" or "--path-as-is":
                    break;
                case "-X":
                    method = words[++i];
                    break;
                case "-H":
                    var header = words[++i];
                    var colon = header.IndexOf(':', StringComparison.Ordinal);
                    headers.Add((header[..colon], header[(colon + 1)..].Trim()));
                    break;
                case "-d":
                    body = words[++i];
                    method = method == "GET" ? "POST" : method;
                    break;
                default:
                    Assert.False(words[i].StartsWith('-'), $"unexpected curl option `{words[i]}`");
                    Assert.Null(url);
                    url = words[i];
                    break;
            }
        }

        Assert.NotNull(url);
        return new PrintedCall(status, title, method, url!, headers, body);
    }

    /// <summary>Splits a line into words: single quotes literal, double quotes with <c>$NAME</c> expansion.</summary>
    public static List<string> ShellWords(string line, IReadOnlyDictionary<string, string> variables)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == ' ')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                Assert.True(end > i, $"unbalanced single quote in: {line}");
                word.Append(line, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                var end = line.IndexOf('"', i + 1);
                Assert.True(end > i, $"unbalanced double quote in: {line}");
                word.Append(Expand(line[(i + 1)..end], variables));
                i = end;
            }
            else if (c == '$')
            {
                var name = new string(line[(i + 1)..].TakeWhile(ch => char.IsLetterOrDigit(ch) || ch == '_').ToArray());
                word.Append(variables[name]);
                i += name.Length;
            }
            else
            {
                word.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static string Expand(string text, IReadOnlyDictionary<string, string> variables)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$')
            {
                result.Append(text[i]);
                continue;
            }

            var name = new string(text[(i + 1)..].TakeWhile(ch => char.IsLetterOrDigit(ch) || ch == '_').ToArray());
            Assert.True(variables.ContainsKey(name), $"`${name}` is used before its export line");
            result.Append(variables[name]);
            i += name.Length;
        }

        return result.ToString();
    }
}
