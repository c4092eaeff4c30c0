using Mandate.Core.Decisions;

namespace Mandate.Server.Lifecycle.Testing;

/// <summary>One request of a policy test file and the answer it must get.</summary>
/// <param name="File">The test file it was read from.</param>
/// <param name="Index">Its position in the file's <c>tests</c> list (from 0).</param>
/// <param name="Name">What it checks, as the author wrote it (or <c>tests[i]</c>).</param>
/// <param name="Request">The decision request: principal, action, resource and the whole Cedar context.</param>
/// <param name="ExpectAllow">The decision it must get.</param>
/// <param name="ExpectPolicies">The determining policy ids it must get, in any order; null when the file does not say.</param>
public sealed record PolicyTestCase(
    string File,
    int Index,
    string Name,
    DecisionRequest Request,
    bool ExpectAllow,
    IReadOnlyList<string>? ExpectPolicies);

/// <summary>What a test file names besides its cases: the policy inputs it was written for, paths resolved against its folder.</summary>
/// <param name="Policies">A <c>.cedar</c> folder or file, or null.</param>
/// <param name="Schema">A <c>.cedarschema</c> file, or null.</param>
/// <param name="Entities">A Cedar entities JSON file, or null.</param>
/// <param name="Namespace">The namespace of short names, or null (then <c>Mandate</c>).</param>
public sealed record PolicyTestInputs(string? Policies, string? Schema, string? Entities, string? Namespace);

/// <summary>A read test file: its inputs and cases, or the problems that kept it from being read.</summary>
public sealed record PolicyTestFile(string Path, PolicyTestInputs Inputs, IReadOnlyList<PolicyTestCase> Cases, IReadOnlyList<string> Problems);
