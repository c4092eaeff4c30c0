namespace Mandate.Fuzz;

/// <summary>
/// One fuzz target: a product entry point fed untrusted bytes, with the target's own idea of an expected failure.
/// </summary>
/// <remarks>
/// <see cref="Run"/> returns normally for every input the product handles as designed: accepted, or refused as a
/// value (a rejection, a diagnostic, a problem list). Anything else — an exception escaping the product, or an
/// invariant of the result broken (<see cref="FuzzFinding"/>) — is a finding, which AFL++ records as a crash and
/// the replay tests fail on.
/// </remarks>
public abstract class FuzzTarget
{
    /// <summary>The target's name: its folder under <c>fuzz/corpus</c> and <c>fuzz/crashes</c>, and its command-line name.</summary>
    public abstract string Name { get; }

    /// <summary>One line: what is fuzzed and what counts as a finding.</summary>
    public abstract string Description { get; }

    /// <summary>Runs one input through the product; throws on a finding.</summary>
    public abstract void Run(ReadOnlySpan<byte> input);

    /// <summary>Throws a <see cref="FuzzFinding"/> when <paramref name="holds"/> is false.</summary>
    protected static void Check(bool holds, string invariant)
    {
        if (!holds)
        {
            throw new FuzzFinding(invariant);
        }
    }
}
