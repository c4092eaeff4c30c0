namespace Mandate.Fuzz.Tests;

/// <summary>
/// Every seed and every crash input found so far, through the same entry point AFL++ drives: a target's expected
/// failures are values, so nothing may throw. CI runs this always; fuzz/run.sh adds the coverage-guided search.
/// </summary>
public sealed class ReplayTests
{
    public static TheoryData<string> Targets => [.. FuzzTargets.All.Select(t => t.Name)];

    public static TheoryData<string, string> Crashes()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.All)
        {
            foreach (var file in FuzzInputs.Files("crashes", target.Name))
            {
                data.Add(target.Name, Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Corpus_EverySeed_HandledWithoutFinding(string target)
    {
        var files = FuzzInputs.Files("corpus", target);
        Assert.NotEmpty(files);
        var findings = files.Select(f => Run(target, f)).OfType<string>().ToList();

        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public void Crash_RegressionInput_HandledWithoutFinding(string target, string file)
    {
        var finding = Run(target, Path.Combine(FuzzInputs.Folder, "crashes", target, file));

        Assert.Null(finding);
    }

    [Fact]
    public void Targets_EachHasCorpusFolderAndDictionary()
    {
        foreach (var target in FuzzTargets.All)
        {
            Assert.True(Directory.Exists(Path.Combine(FuzzInputs.Folder, "corpus", target.Name)), $"fuzz/corpus/{target.Name} is missing");
            Assert.True(File.Exists(Path.Combine(FuzzInputs.Folder, "dictionaries", target.Name + ".dict")), $"fuzz/dictionaries/{target.Name}.dict is missing");
        }

        Assert.Equal(FuzzTargets.All.Count, FuzzTargets.All.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count());
    }

    private static string? Run(string target, string file)
    {
        try
        {
            FuzzTargets.Find(target)!.Run(File.ReadAllBytes(file));
            return null;
        }
        catch (Exception e)
        {
            return $"{Path.GetFileName(file)}: {Finding.Signature(e)}\n{e}";
        }
    }
}
