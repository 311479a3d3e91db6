package dev.inferpipe.ingress;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The ingress: HTTP in, Kafka out, correlated replies back to the waiting caller. */
@SpringBootApplication
@EnableConfigurationProperties(IngressProperties.class)
public class IngressApplication {
  public static void main(String[] args) {
    SpringApplication.run(IngressApplication.class, args);
  }
}
