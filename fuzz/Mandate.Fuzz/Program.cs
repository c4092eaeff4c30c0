using System.Diagnostics;
using Mandate.Fuzz;
using SharpFuzz;

// mandate-fuzz list                         the targets
// mandate-fuzz afl TARGET                   run under afl-fuzz (fuzz/run.sh starts it; SharpFuzz talks to AFL++)
// mandate-fuzz replay TARGET PATH...        each file (or every file of each folder) once; exit 1 on any finding
// mandate-fuzz seeds DIR                    (re)writes the generated seeds (signed JWS tokens) under DIR/<target>
return args switch
{
    ["list"] => List(),
    ["afl", var name] => Afl(name),
    ["replay", var name, .. var paths] when paths.Length > 0 => Replay(name, paths),
    ["seeds", var dir] => Seeds.Write(dir),
    _ => Usage(),
};

static int List()
{
    foreach (var target in FuzzTargets.All)
    {
        Console.WriteLine($"{target.Name,-16} {target.Description}");
    }

    return 0;
}

static int Afl(string name)
{
    if (FuzzTargets.Find(name) is not { } target)
    {
        return Unknown(name);
    }

    // Out of process: a stack overflow or a hang kills only the child, which SharpFuzz restarts, and AFL++
    // records the input, instead of the whole run ending on the first such input.
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
    return 0;
}

static int Replay(string name, string[] paths)
{
    if (FuzzTargets.Find(name) is not { } target)
    {
        return Unknown(name);
    }

    var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]).ToList();
    var findings = new Dictionary<string, (int Count, string File, Exception Error)>(StringComparer.Ordinal);
    var clock = Stopwatch.StartNew();
    foreach (var file in files)
    {
        var started = clock.Elapsed;
        try
        {
            target.Run(File.ReadAllBytes(file));
        }
        catch (Exception e)
        {
            // One line per distinct finding: many inputs AFL++ saves are the same bug.
            var signature = Finding.Signature(e);
            findings[signature] = findings.TryGetValue(signature, out var seen) ? (seen.Count + 1, seen.File, seen.Error) : (1, file, e);
        }

        var took = clock.Elapsed - started;
        if (took > TimeSpan.FromSeconds(1))
        {
            Console.WriteLine($"SLOW {file}: {took.TotalMilliseconds:F0} ms");
        }
    }

    foreach (var (signature, (count, file, error)) in findings)
    {
        Console.WriteLine($"FINDING {signature} ({count} inputs, e.g. {file})");
        // The input itself, so a finding on a machine that is gone (CI) can still be reproduced.
        var bytes = File.ReadAllBytes(file);
        Console.WriteLine(bytes.Length <= 4096 ? $"input (base64): {Convert.ToBase64String(bytes)}" : $"input: {bytes.Length} bytes");
        Console.WriteLine(string.Join('\n', (error.StackTrace ?? "").Split('\n').Take(12)));
    }

    Console.WriteLine($"{name}: {files.Count} inputs replayed, {findings.Values.Sum(f => f.Count)} findings ({findings.Count} distinct), {clock.Elapsed.TotalSeconds:F1} s");
    return findings.Count == 0 ? 0 : 1;
}

static int Unknown(string name)
{
    Console.Error.WriteLine($"unknown target `{name}`; `mandate-fuzz list` shows them");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: mandate-fuzz list | afl TARGET | replay TARGET PATH... | seeds DIR");
    return 2;
}
