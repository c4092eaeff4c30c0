using BenchmarkDotNet.Running;
using Mandate.Bench.Cedar;

// Modes:
//   latency TEST.json [ROOT] [ITERATIONS]   per-decision p50/p99 and decisions/s, measured like
//                                           shared/bench/cedar-reference.mjs (one JSON line)
//   expect TEST.json                        fills in decision/reason/errors from this engine
//   tokens-throughput [SECONDS] [WORKERS] [sqlite|durable|memory]  sustained task token exchanges/s on a real tokens.db (one JSON line)
//   anything else                           BenchmarkDotNet (e.g. --filter '*Cedar*')
if (args.Length >= 2 && args[0] == "latency")
{
    return LatencyMode.Run(args[1], args.Length > 2 ? args[2] : null, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 20000);
}
if (args.Length >= 2 && args[0] == "expect")
{
    return ExpectMode.Run(args[1]);
}
if (args.Length >= 1 && args[0] == "tokens-throughput")
{
    return Mandate.Bench.Tokens.ExchangeThroughputMode.Run(
        args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 64,
        args.Length > 3 ? args[3] : "sqlite");
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
