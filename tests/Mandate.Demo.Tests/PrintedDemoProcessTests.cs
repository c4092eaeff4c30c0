namespace Mandate.Demo.Tests;

/// <summary>
/// `mandate demo` as a user runs it: a real process, its printed curl commands replayed over real HTTP (one test case
/// per call), the printed approval and audit commands run as real processes.
/// </summary>
public sealed class PrintedDemoProcessTests : IClassFixture<PrintedDemoProcessFixture>
{
    private readonly PrintedDemoProcessFixture _demo;

    public PrintedDemoProcessTests(PrintedDemoProcessFixture demo) => _demo = demo;

    public static TheoryData<string> Titles => new(DemoScript.Calls.Select(c => c.Title));

    [Theory]
    [MemberData(nameof(Titles))]
    public void PrintedCall_RealProcess_AnswersAsPrinted(string title)
    {
        DemoExpectations.AssertAnswer(_demo.Replay.For(title), _demo.Replay.Variables);
    }

    [Fact]
    public void Approval_PrintedCliLineRunWithBash_ApprovesThatCall()
    {
        DemoExpectations.AssertApproved(_demo.Replay.RunOf(DemoScript.Approval.Title), _demo.Replay.Variables);
    }

    [Fact]
    public async Task AuditCommands_AsPrintedAfterTheCalls_VerifyTheChainAndListTheDenials()
    {
        // From a folder of their own, as a user in another terminal would run them.
        var elsewhere = Directory.CreateTempSubdirectory("mandate-demo-elsewhere-").FullName;
        var commands = _demo.Replay.MandateCommands;
        var verify = await MandateProcess.RunPrintedAsync(commands.Single(c => c.Contains(" audit verify ", StringComparison.Ordinal)), elsewhere);
        Assert.True(verify.ExitCode == 0, verify.Output);
        // The demo signs checkpoints often enough that a user who has just made the calls sees some.
        var checkpoints = System.Text.RegularExpressions.Regex.Match(verify.Output, @"(\d+) checkpoints?");
        Assert.True(checkpoints.Success && int.Parse(checkpoints.Groups[1].Value) >= 1, verify.Output);

        var denials = await MandateProcess.RunPrintedAsync(commands.Single(c => c.Contains(" audit query ", StringComparison.Ordinal)), elsewhere);
        Assert.Equal(0, denials.ExitCode);
        var denied = _demo.Replay.Calls.Count(c => c.ExpectedStatus >= 400);
        Assert.True(denials.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= denied, denials.Output);
        Directory.Delete(elsewhere, recursive: true);
    }
}
