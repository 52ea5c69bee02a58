using System.CommandLine;
using GptChat.Benchmarking;
using GptChat.Cli.Chat;
using GptChat.Modeling;
using Microsoft.ML.OnnxRuntime;

namespace GptChat.Cli.Commands;

/// <summary>
/// <c>gptchat bench</c>: the standard speed workloads (greedy and 5-beam search, 40 new tokens from a fixed
/// 10-token prompt), measured the way the peer harnesses measure, so that scripts/bench.sh can put GptChat
/// next to ORT GenAI, transformers.js and others in one table.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model folder (config.json + onnx/)", Required = true };
        var onnxFile = new Option<string?>("--onnx-file") { Description = "ONNX file relative to the model folder (default: detect the layout)" };
        var workload = new Option<string>("--workload") { Description = "greedy, beam5 or all", DefaultValueFactory = _ => "all" };
        workload.AcceptOnlyFromAmong("greedy", "beam5", "all");
        var reps = new Option<int>("--reps") { Description = "Reps per workload (each: load, cold generation, measured generation)", DefaultValueFactory = _ => 3 };
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime intra-op threads (default: physical cores)" };
        var json = new Option<bool>("--json") { Description = "One JSON line per workload" };

        var command = new Command("bench", "Measure load time, prefill, decode step, tokens/s and peak memory on the standard workloads")
        {
            model, onnxFile, workload, reps, threads, json,
        };
        command.SetAction((pr, ct) => Task.FromResult(Run(pr, model, onnxFile, workload, reps, threads, json, ct)));
        return command;
    }

    private static int Run(
        ParseResult pr, Option<string> modelOption, Option<string?> onnxFileOption, Option<string> workloadOption,
        Option<int> repsOption, Option<int?> threadsOption, Option<bool> jsonOption, CancellationToken ct)
    {
        var output = pr.InvocationConfiguration.Output;
        var error = pr.InvocationConfiguration.Error;
        try
        {
            string folder = pr.GetRequiredValue(modelOption);
            if (!Directory.Exists(folder))
                throw new GptChatException($"model folder not found: {folder}");
            folder = Path.GetFullPath(folder);
            int reps = pr.GetValue(repsOption);
            if (reps < 1) throw new GptChatException("--reps must be at least 1", 2);
            int threads = pr.GetValue(threadsOption) ?? CpuTopology.PhysicalCores();
            if (threads < 1) throw new GptChatException("--threads must be at least 1", 2);
            GenerationFlags.ThreadsWithinLimit(threads);
            var openOptions = new ModelOpenOptions { OnnxFile = pr.GetValue(onnxFileOption), IntraOpThreads = threads };
            bool asJson = pr.GetValue(jsonOption);

            BenchModelOpener open = () =>
            {
                OptimizedModelCache.LastOutcome = null;
                var opened = OnnxCausalLM.Open(folder, openOptions);
                return (opened, OptimizedModelCache.LastOutcome?.ToString().ToLowerInvariant());
            };

            foreach (var w in BenchWorkload.Select(pr.GetValue(workloadOption) ?? "all"))
            {
                ProcessMemory.TryResetPeak();
                var runs = new List<BenchRep>(reps);
                for (int r = 0; r < reps; r++)
                {
                    ct.ThrowIfCancellationRequested();
                    runs.Add(BenchRunner.RunRep(open, w, ct));
                    // Between reps, as between the peers' processes: the last model's memory goes back.
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
                var summary = new BenchSummary(w.Name, w.Options.NumBeams, threads, runs, ProcessMemory.PeakRssMb());
                output.WriteLine(asJson ? summary.ToJsonLine() : summary.ToText());
            }
            return 0;
        }
        catch (GptChatException e)
        {
            error.WriteLine("gptchat: " + e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("gptchat: bench cancelled");
            return 130;
        }
        catch (Exception e) when (e is OnnxRuntimeException or ArgumentException or InvalidOperationException or IOException)
        {
            // Anything else that escapes the runner: still one line, no stack trace.
            error.WriteLine("gptchat: bench failed: " + e.Message.Split('\n')[0].Trim());
            return 1;
        }
    }
}
