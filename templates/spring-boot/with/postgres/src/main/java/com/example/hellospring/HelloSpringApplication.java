package com.example.hellospring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class HelloSpringApplication {

    /** The name this service reports about itself. */
    public static final String SERVICE_NAME = "hello-spring";

    public static void main(String[] args) {
        SpringApplication.run(HelloSpringApplication.class, args);
    }
}
