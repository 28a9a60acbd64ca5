package com.example.hellospring;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class HelloController {

    public record Health(String status) {}

    public record Hello(String service, String message) {}

    @GetMapping("/health")
    public Health health() {
        return new Health("ok");
    }

    @GetMapping("/api/hello")
    public Hello hello() {
        String name = HelloSpringApplication.SERVICE_NAME;
        return new Hello(name, "Hello from " + name + "!");
    }
}
