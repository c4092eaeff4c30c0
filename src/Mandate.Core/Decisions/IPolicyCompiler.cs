namespace Mandate.Core.Decisions;

/// <summary>Turns policy texts, schema and entities into a decision point. Must not throw for bad input.</summary>
public interface IPolicyCompiler
{
    /// <summary>Parses, validates and compiles; returns every problem found, or a ready decision point.</summary>
    PolicyCompilation Compile(PolicyInputs inputs);
}
