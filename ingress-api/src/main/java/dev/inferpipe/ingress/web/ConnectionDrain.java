package dev.inferpipe.ingress.web;

import dev.inferpipe.ingress.IngressProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first step of stopping: for {@code ingress.close-period} the instance still serves, but says
 * it is not ready and answers every request with {@code Connection: close}, so that callers and
 * load balancers move away and each keep-alive connection ends after a complete answer. Then it
 * closes the listening socket, so that new connections are refused at once instead of queuing
 * behind a paused acceptor, while the server still serves every connection it has accepted; only
 * then does the web server's graceful shutdown wait for the requests in flight. Without the first
 * step, a caller could send a request on an idle keep-alive connection just as the server closed
 * it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ConnectionDrain extends OncePerRequestFilter
    implements SmartLifecycle, TomcatConnectorCustomizer {
  private static final Logger log = LoggerFactory.getLogger(ConnectionDrain.class);

  private final Duration period;
  private final List<Connector> connectors = new CopyOnWriteArrayList<>();
  private volatile boolean running;
  private volatile boolean draining;

  public ConnectionDrain(IngressProperties properties) {
    this.period = properties.closePeriod();
  }

  /** True from the moment the instance began to stop. */
  public boolean isDraining() {
    return draining;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (draining) {
      response.setHeader("Connection", "close");
    }
    chain.doFilter(request, response);
  }

  @Override
  public void customize(Connector connector) {
    connectors.add(connector);
  }

  @Override
  public void start() {
    running = true;
  }

  /** Runs before the web server's graceful shutdown (a higher phase stops first). */
  @Override
  public void stop() {
    draining = true;
    log.info("stopping: closing connections after each answer for {} ms", period.toMillis());
    try {
      Thread.sleep(period.toMillis()); // serving meanwhile, on the server's threads
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // new connections are refused from here; those accepted are served (a graceful pause would
    // first stop accepting and leave new connections queued until the socket closes)
    connectors.forEach(connector -> connector.getProtocolHandler().closeServerSocketGraceful());
    log.info("stopped taking connections on {} connector(s)", connectors.size());
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }
}
