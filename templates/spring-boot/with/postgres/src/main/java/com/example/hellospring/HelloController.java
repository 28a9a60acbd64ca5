package com.example.hellospring;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class HelloController {

    public record Health(String status) {}

    public record Hello(String service, String message) {}

    public record NewItem(String name) {}

    private final ItemRepository items;

    public HelloController(ItemRepository items) {
        this.items = items;
    }

    @GetMapping("/health")
    public Health health() {
        return new Health("ok");
    }

    @GetMapping("/api/hello")
    public Hello hello() {
        String name = HelloSpringApplication.SERVICE_NAME;
        return new Hello(name, "Hello from " + name + "!");
    }

    @PostMapping("/api/items")
    public ResponseEntity<Item> createItem(@RequestBody NewItem item) {
        if (item.name() == null) return ResponseEntity.badRequest().build();
        return ResponseEntity.status(HttpStatus.CREATED).body(items.save(new Item(null, item.name())));
    }

    @GetMapping("/api/items/{id}")
    public ResponseEntity<Item> readItem(@PathVariable long id) {
        return ResponseEntity.of(items.findById(id));
    }
}
