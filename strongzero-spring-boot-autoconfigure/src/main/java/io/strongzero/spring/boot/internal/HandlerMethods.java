package io.strongzero.spring.boot.internal;

import io.strongzero.consumer.HandlerContext;
import io.strongzero.consumer.Message;
import io.strongzero.consumer.MessageHandler;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.spring.boot.StrongZeroHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link StrongZeroHandler} methods of the application's beans and adapts each to a {@link MessageHandler}.
 * The bean is looked up at the first message, not while the consumer is built, so that handler beans may depend on
 * the consumer. Internal API.
 */
public final class HandlerMethods {

    /**
     * A handler found on a bean.
     *
     * @param type        the message type
     * @param payloadType the class the payload decodes to
     * @param handler     the adapter that calls the method
     * @param source      the bean and method, for messages
     */
    public record Found(String type, Class<?> payloadType, MessageHandler<Object> handler, String source) {
    }

    private HandlerMethods() {
    }

    /** Every {@link StrongZeroHandler} method of the beans {@code beans} defines. */
    public static List<Found> find(ConfigurableListableBeanFactory beans) {
        List<Found> found = new ArrayList<>();
        for (String name : beans.getBeanDefinitionNames()) {
            if (name.startsWith("scopedTarget.")) {
                continue;
            }
            Class<?> type = beans.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> user = ClassUtils.getUserClass(type);
            Map<Method, StrongZeroHandler> methods = MethodIntrospector.selectMethods(user,
                    (MethodIntrospector.MetadataLookup<StrongZeroHandler>) m ->
                            AnnotatedElementUtils.findMergedAnnotation(m, StrongZeroHandler.class));
            for (Map.Entry<Method, StrongZeroHandler> e : methods.entrySet()) {
                found.add(adapt(beans, name, e.getKey(), e.getValue().value()));
            }
        }
        return found;
    }

    /** The adapter of {@code method} of bean {@code beanName}, for {@code type}. */
    static Found adapt(BeanFactory beans, String beanName, Method method, String type) {
        String source = "bean '" + beanName + "' method " + method.getDeclaringClass().getSimpleName() + "."
                + method.getName();
        if (Modifier.isStatic(method.getModifiers())) {
            throw new StrongZeroConfigException("@StrongZeroHandler(\"" + type + "\") on " + source + ": the method "
                    + "must not be static");
        }
        Class<?>[] params = method.getParameterTypes();
        int payload = -1;
        int message = -1;
        int context = -1;
        for (int i = 0; i < params.length; i++) {
            if (params[i] == HandlerContext.class) {
                context = check(context, i, source, type, "HandlerContext");
            } else if (params[i] == Message.class) {
                message = check(message, i, source, type, "Message");
            } else {
                payload = check(payload, i, source, type, "payload");
            }
        }
        if (payload >= 0 && message >= 0) {
            throw new StrongZeroConfigException("@StrongZeroHandler(\"" + type + "\") on " + source + ": take either "
                    + "the payload or the Message, not both");
        }
        Class<?> payloadType;
        if (message >= 0) {
            payloadType = ResolvableType.forMethodParameter(method, message).getGeneric(0).resolve();
            if (payloadType == null) {
                throw new StrongZeroConfigException("@StrongZeroHandler(\"" + type + "\") on " + source + ": declare "
                        + "the Message's payload type, for example Message<User>");
            }
        } else if (payload >= 0) {
            payloadType = ClassUtils.resolvePrimitiveIfNecessary(params[payload]);
        } else {
            payloadType = Object.class;
        }
        ReflectionUtils.makeAccessible(method);
        int p = payload;
        int m = message;
        int c = context;
        Invoker invoker = new Invoker(beans, beanName, method, params.length, p, m, c);
        return new Found(type, payloadType, invoker, source);
    }

    private static int check(int seen, int index, String source, String type, String what) {
        if (seen >= 0) {
            throw new StrongZeroConfigException("@StrongZeroHandler(\"" + type + "\") on " + source + ": more than one "
                    + what + " parameter; a handler takes the payload (or the Message) and optionally the HandlerContext");
        }
        return index;
    }

    /** Calls the method on the bean, found at the first message. */
    private static final class Invoker implements MessageHandler<Object> {
        private final BeanFactory beans;
        private final String beanName;
        private final Method method;
        private final int arity;
        private final int payload;
        private final int message;
        private final int context;
        private volatile Object bean;
        private volatile Method invocable;

        Invoker(BeanFactory beans, String beanName, Method method, int arity, int payload, int message, int context) {
            this.beans = beans;
            this.beanName = beanName;
            this.method = method;
            this.arity = arity;
            this.payload = payload;
            this.message = message;
            this.context = context;
        }

        @Override
        public void handle(Message<Object> m, HandlerContext ctx) throws Exception {
            Object target = bean;
            if (target == null) {
                target = beans.getBean(beanName);
                invocable = AopUtils.selectInvocableMethod(method, target.getClass());
                bean = target;
            }
            Object[] args = new Object[arity];
            if (payload >= 0) {
                args[payload] = m.payload();
            }
            if (message >= 0) {
                args[message] = m;
            }
            if (context >= 0) {
                args[context] = ctx;
            }
            try {
                invocable.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception x) {
                    throw x;
                }
                if (cause instanceof Error er) {
                    throw er;
                }
                throw e;
            }
        }
    }
}
