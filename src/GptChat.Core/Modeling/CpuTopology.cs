namespace GptChat.Modeling;

/// <summary>Counts physical cores (SMT siblings once), the default for ONNX Runtime's intra-op threads.</summary>
internal static class CpuTopology
{
    public static int PhysicalCores()
    {
        try
        {
            // /proc/cpuinfo: one block per logical CPU with "physical id" and "core id"; a physical core is one pair.
            var cores = new HashSet<(string, string)>();
            string physical = "0", core = "";
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                int colon = line.IndexOf(':');
                if (colon < 0) continue;
                string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
                if (key == "physical id") physical = value;
                else if (key == "core id") { core = value; cores.Add((physical, core)); }
            }
            if (cores.Count > 0) return Math.Min(cores.Count, Environment.ProcessorCount);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Environment.ProcessorCount;
    }
}
