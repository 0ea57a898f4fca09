package org.rheumalens.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a batch runs in, with what executors need to run DJL: the engine offline (nothing is downloaded on
 * a cluster node), its native-library cache, PyTorch threads held to a task's cores, and, outside local mode,
 * the application's jars sent to every executor.
 */
public final class BatchSession {

  /** Set by the launcher: the application's jars (rheumalens-spark, core, DJL, PixelMed ...), path-separated. */
  public static final String JARS_PROPERTY = "rheumalens.batch.jars";

  private BatchSession() {}

  public static SparkSession start(String master, Map<String, String> settings) {
    SparkConf conf = new SparkConf().setMaster(master).setAppName("rheumalens batch").setAll(toScala(settings));
    conf.set("spark.executor.extraJavaOptions",
        ("-Dai.djl.offline=true " + conf.get("spark.executor.extraJavaOptions", "")).strip());
    String djlCache = System.getenv("DJL_CACHE_DIR");
    if (djlCache != null && !conf.contains("spark.executorEnv.DJL_CACHE_DIR")) {
      conf.set("spark.executorEnv.DJL_CACHE_DIR", djlCache);
    }
    if (!conf.contains("spark.executorEnv.OMP_NUM_THREADS")) {
      // Each running task has a grader of its own and spark.task.cpus cores: PyTorch threads beyond that only fight
      // the executor's other tasks for the same cores.
      conf.set("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.task.cpus", "1"));
    }
    if (master.startsWith("local") && !conf.contains("spark.driver.host")) {
      // Local mode talks only to itself: keep its RPC and block manager on loopback, whatever the host name says.
      conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    }
    String jars = System.getProperty(JARS_PROPERTY);
    // Local mode runs in this JVM, whose class path has them already.
    if (!master.startsWith("local") && jars != null && !conf.contains("spark.jars")) {
      conf.set("spark.jars", String.join(",", jars.split(java.io.File.pathSeparator)));
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  private static scala.collection.Iterable<scala.Tuple2<String, String>> toScala(Map<String, String> settings) {
    return scala.jdk.javaapi.CollectionConverters.asScala(
        settings.entrySet().stream().map(e -> new scala.Tuple2<>(e.getKey(), e.getValue())).toList());
  }
}
