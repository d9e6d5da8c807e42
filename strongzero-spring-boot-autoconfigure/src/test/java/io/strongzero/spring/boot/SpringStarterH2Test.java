package io.strongzero.spring.boot;


class SpringStarterH2Test extends SpringStarterContract {
    @Override
    Database database() {
        return Database.h2();
    }
}
